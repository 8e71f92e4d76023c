package layerfs_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// blobLayer makes a layer from blob bytes, with its digest and the given diffID.
func blobLayer(blob []byte, diffID v1.Hash) layerfs.Layer {
	return layerfs.Layer{
		Digest: sha(blob),
		DiffID: diffID,
		Open:   func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(blob)), nil },
	}
}

func sha(b []byte) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sha256.Sum256(b))}
}

// tarLayer makes an uncompressed layer whose config diffID is right.
func tarLayer(entries ...imagetest.Entry) layerfs.Layer {
	b := imagetest.Tar(entries...)
	return blobLayer(b, sha(b))
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func zstdBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw, err := zstd.NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func walk(t *testing.T, o layerfs.Options, layers ...layerfs.Layer) *layerfs.FS {
	t.Helper()
	fsys, err := layerfs.Walk(context.Background(), layers, o)
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return fsys
}

// visible renders the squashed view as "path@layer" lines.
func visible(fsys *layerfs.FS) []string {
	var out []string
	for _, f := range fsys.Squashed() {
		out = append(out, fmt.Sprintf("%s@%d", f.Path, f.Layer))
	}
	return out
}

func TestSquash(t *testing.T) {
	F, D, S, W, O := imagetest.File, imagetest.Dir, imagetest.Symlink, imagetest.Whiteout, imagetest.Opaque
	tests := []struct {
		name   string
		layers [][]imagetest.Entry
		want   []string
	}{
		{
			name:   "later layer replaces a file",
			layers: [][]imagetest.Entry{{D("etc"), F("etc/a", "1")}, {F("etc/a", "2")}},
			want:   []string{"/etc@0", "/etc/a@1"},
		},
		{
			name:   "whiteout deletes a file",
			layers: [][]imagetest.Entry{{D("etc"), F("etc/a", "1"), F("etc/b", "1")}, {W("etc/a")}},
			want:   []string{"/etc@0", "/etc/b@0"},
		},
		{
			name:   "whiteout of a directory deletes its subtree",
			layers: [][]imagetest.Entry{{D("d"), D("d/e"), F("d/e/f", "x"), F("dd", "keep")}, {W("d")}},
			want:   []string{"/dd@0"},
		},
		{
			name: "opaque directory hides lower children, keeps its own in any order",
			layers: [][]imagetest.Entry{
				{D("d"), F("d/old", "x"), D("d/sub"), F("d/sub/old", "x")},
				{F("d/new1", "y"), D("d"), O("d"), F("d/new2", "y")},
			},
			want: []string{"/d@1", "/d/new1@1", "/d/new2@1"},
		},
		{
			name:   "whiteout and re-creation in one layer",
			layers: [][]imagetest.Entry{{D("d"), F("d/a", "old"), F("d/b", "old")}, {W("d"), D("d"), F("d/a", "new")}},
			want:   []string{"/d@1", "/d/a@1"},
		},
		{
			name:   "directory replaced by a file hides its children",
			layers: [][]imagetest.Entry{{D("x"), F("x/y", "1")}, {F("x", "now a file")}},
			want:   []string{"/x@1"},
		},
		{
			name:   "directory replaced by a symlink hides its children",
			layers: [][]imagetest.Entry{{D("lib"), F("lib/libc.so", "1"), D("usr"), D("usr/lib")}, {S("lib", "usr/lib")}},
			want:   []string{"/lib@1", "/usr@0", "/usr/lib@0"},
		},
		{
			name:   "whiteout affects only lower layers",
			layers: [][]imagetest.Entry{{F("a", "1")}, {F("b", "2")}, {W("b")}, {F("b", "4")}},
			want:   []string{"/a@0", "/b@3"},
		},
		{
			name:   "the last entry for a path in a layer wins",
			layers: [][]imagetest.Entry{{F("a", "first"), F("b", "x"), F("./a", "second")}},
			want:   []string{"/a@0", "/b@0"},
		},
		{
			name:   "dot-slash, absolute and inner dot-dot names are normalised",
			layers: [][]imagetest.Entry{{F("./x/../y", "1"), F("/abs", "2"), D("./")}},
			want:   []string{"/abs@0", "/y@0"},
		},
		{
			name:   "whiteout of a missing path is harmless",
			layers: [][]imagetest.Entry{{F("a", "1")}, {W("nothing/here")}},
			want:   []string{"/a@0"},
		},
		{
			name:   "a directory replaced by a file in a middle layer stays emptied when recreated",
			layers: [][]imagetest.Entry{{D("a"), F("a/b", "old")}, {F("a", "file now")}, {D("a"), F("a/c", "new")}},
			want:   []string{"/a@2", "/a/c@2"},
		},
		{
			name:   "an opaque marker at the root hides every lower entry",
			layers: [][]imagetest.Entry{{D("etc"), F("etc/old", "x")}, {O("."), F("new", "y")}},
			want:   []string{"/new@1"},
		},
		{
			name:   "aufs bookkeeping names are ignored",
			layers: [][]imagetest.Entry{{F("a", "1")}, {F(".wh..wh.plnk/123", "z"), F(".wh.", "")}},
			want:   []string{"/a@0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var layers []layerfs.Layer
			for _, l := range tc.layers {
				layers = append(layers, tarLayer(l...))
			}
			got := visible(walk(t, layerfs.Options{}, layers...))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("squashed view (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAllLayers(t *testing.T) {
	// /b is the first entry of layer 0 (the position a missing path's zero ref
	// would name) and a later layer deletes it.
	fsys := walk(t, layerfs.Options{},
		tarLayer(imagetest.File("b", "1"), imagetest.File("a", "1")),
		tarLayer(imagetest.File("a", "2"), imagetest.Whiteout("b")),
	)
	var got []string
	for _, e := range fsys.AllLayers() {
		got = append(got, fmt.Sprintf("%s@%d visible=%t", e.Path, e.Layer, e.Visible))
	}
	want := []string{"/a@0 visible=false", "/b@0 visible=false", "/a@1 visible=true"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("all-layers view (-want +got):\n%s", diff)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name    string
		entries []imagetest.Entry
		want    []string
	}{
		{
			name:    "one absolute name",
			entries: []imagetest.Entry{imagetest.File("/etc/abs", "x")},
			want:    []string{`layer 0: /etc/abs: absolute entry name "/etc/abs" normalised under the root`},
		},
		{
			name:    "many absolute names are one warning",
			entries: []imagetest.Entry{imagetest.File("/a", "x"), imagetest.File("/b", "x"), imagetest.File("/c", "x")},
			want:    []string{`layer 0: 3 entries have absolute names (the first: "/a"); normalised under the root`},
		},
		{
			name: "a symlink loop warns for that path only",
			entries: []imagetest.Entry{imagetest.Symlink("a", "b"), imagetest.Symlink("b", "/a"),
				imagetest.Symlink("up", "../../.."), imagetest.Symlink("ok", "up/etc")},
			want: []string{"layer 0: /a: symlink loop (b)", "layer 0: /b: symlink loop (/a)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, w := range walk(t, layerfs.Options{}, tarLayer(tc.entries...)).Warnings() {
				got = append(got, w.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMetadata(t *testing.T) {
	suid := imagetest.File("usr/bin/su", "elf")
	suid.Mode = 0o4755
	suid.UID, suid.GID = 0, 0
	ww := imagetest.File("var/log/ww", "x")
	ww.Mode = 0o666
	tmp := imagetest.Dir("tmp")
	tmp.Mode = 0o1777
	fsys := walk(t, layerfs.Options{Digests: true}, tarLayer(suid, ww, tmp,
		imagetest.Hardlink("usr/bin/su2", "usr/bin/su")))

	su, _ := fsys.Lookup("/usr/bin/su")
	if !su.Setuid() || su.Setgid() || su.WorldWritable() {
		t.Errorf("su: setuid=%t setgid=%t ww=%t, want setuid only", su.Setuid(), su.Setgid(), su.WorldWritable())
	}
	wantDigest := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte("elf")))
	if su.Digest != wantDigest || su.Size != 3 {
		t.Errorf("su digest %s size %d, want %s size 3", su.Digest, su.Size, wantDigest)
	}
	link, _ := fsys.Lookup("/usr/bin/su2")
	if link.Type != layerfs.Hardlink || link.Linkname != "/usr/bin/su" || link.Digest != wantDigest {
		t.Errorf("hardlink = %+v, want target /usr/bin/su with its digest", link)
	}
	if f, _ := fsys.Lookup("/var/log/ww"); !f.WorldWritable() {
		t.Errorf("/var/log/ww not world-writable")
	}
	if f, _ := fsys.Lookup("/tmp"); f.WorldWritable() {
		t.Errorf("/tmp with sticky bit counted as world-writable")
	}
}

func TestCompressionAndDiffID(t *testing.T) {
	raw := imagetest.Tar(imagetest.Dir("etc"), imagetest.File("etc/os-release", "ID=debian\n"))
	for _, tc := range []struct {
		name, format string
		blob         []byte
	}{
		{"plain tar", "none", raw},
		{"gzip", "gzip", gzipBytes(t, raw)},
		{"zstd", "zstd", zstdBytes(t, raw)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := walk(t, layerfs.Options{Requests: []layerfs.Request{{Paths: []string{"/etc/os-release"}}}},
				blobLayer(tc.blob, sha(raw)))
			got, err := fsys.ReadFile("/etc/os-release")
			if err != nil || string(got) != "ID=debian\n" {
				t.Errorf("ReadFile = %q, %v", got, err)
			}
			s := fsys.Layers()[0]
			if s.DiffID != sha(raw).String() || s.Compression != tc.format || s.StoredSize != int64(len(tc.blob)) {
				t.Errorf("summary = %+v, want diffID %s, %s, stored %d", s, sha(raw), tc.format, len(tc.blob))
			}
		})
	}
}

func TestRequests(t *testing.T) {
	big := imagetest.File("opt/big.bin", strings.Repeat("z", 100))
	entries := []imagetest.Entry{
		imagetest.File("etc/os-release", "exact"),
		imagetest.File("var/lib/dpkg/status.d/base", "glob"),
		imagetest.File("app/node_modules/x/package.json", "base"),
		imagetest.File("app/lib/a.jar", "predicate"),
		imagetest.File("etc/passwd", "unwanted"),
		big,
	}
	o := layerfs.Options{
		MaxFileSize: 50,
		Requests: []layerfs.Request{
			{Paths: []string{"/etc/os-release", "/opt/big.bin"}},
			{Globs: []string{"/var/lib/dpkg/status.d/*"}, BaseNames: []string{"package.json"}},
			{Match: func(p string, h *tar.Header) bool { return strings.HasSuffix(p, ".jar") && h.Size > 0 }},
		},
	}
	fsys := walk(t, o, tarLayer(entries...))
	for p, want := range map[string]string{
		"/etc/os-release":                  "exact",
		"/var/lib/dpkg/status.d/base":      "glob",
		"/app/node_modules/x/package.json": "base",
		"/app/lib/a.jar":                   "predicate",
	} {
		if got, err := fsys.ReadFile(p); err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", p, got, err, want)
		}
	}
	for _, p := range []string{"/etc/passwd", "/opt/big.bin"} {
		if _, err := fsys.ReadFile(p); !errors.Is(err, layerfs.ErrNotHeld) {
			t.Errorf("ReadFile(%s) error = %v, want ErrNotHeld", p, err)
		}
	}
	var capped bool
	for _, w := range fsys.Warnings() {
		capped = capped || (w.Path == "/opt/big.bin" && strings.Contains(w.Message, "cap"))
	}
	if !capped {
		t.Errorf("no warning names /opt/big.bin over the cap: %v", fsys.Warnings())
	}
}

func v1Zero() v1.Hash { return v1.Hash{} }

func TestPerm(t *testing.T) {
	tests := []struct {
		f    layerfs.File
		want string
	}{
		{layerfs.File{Type: layerfs.Regular, Mode: 0o4755}, "-rwsr-xr-x"},
		{layerfs.File{Type: layerfs.Regular, Mode: 0o2644}, "-rw-r-Sr--"},
		{layerfs.File{Type: layerfs.Dir, Mode: 0o1777}, "drwxrwxrwt"},
		{layerfs.File{Type: layerfs.Symlink, Mode: 0o777}, "lrwxrwxrwx"},
		{layerfs.File{Type: layerfs.CharDevice, Mode: 0o600}, "crw-------"},
	}
	for _, tc := range tests {
		if got := tc.f.Perm(); got != tc.want {
			t.Errorf("Perm(%v %s) = %q, want %q", tc.f.Type, tc.f.Mode, got, tc.want)
		}
	}
}

func TestReduce(t *testing.T) {
	upper := func(_ string, b []byte) ([]byte, error) {
		switch {
		case bytes.HasPrefix(b, []byte("skip")):
			return nil, nil
		case bytes.HasPrefix(b, []byte("bad")):
			return nil, errors.New("not a binary")
		}
		return bytes.ToUpper(b[:3]), nil
	}
	o := layerfs.Options{Requests: []layerfs.Request{
		{Globs: []string{"/bin/*"}, Reduce: upper},
		{Paths: []string{"/bin/raw"}},
	}}
	fsys := walk(t, o, tarLayer(
		imagetest.File("bin/a", "abcdefgh"), imagetest.File("bin/b", "xyz123"), imagetest.File("bin/raw", "kept whole"),
		imagetest.File("bin/skip", "skip me"), imagetest.File("bin/bad", "bad file"),
		imagetest.Hardlink("bin/a2", "bin/a"),
	))
	for p, want := range map[string]string{"/bin/a": "ABC", "/bin/b": "XYZ", "/bin/raw": "kept whole", "/bin/a2": "ABC"} {
		if got, err := fsys.ReadFile(p); err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", p, got, err, want)
		}
	}
	for _, p := range []string{"/bin/skip", "/bin/bad"} {
		if _, err := fsys.ReadFile(p); !errors.Is(err, layerfs.ErrNotHeld) {
			t.Errorf("ReadFile(%s) error = %v, want ErrNotHeld", p, err)
		}
	}
	var got []string
	for _, w := range fsys.Warnings() {
		got = append(got, w.String())
	}
	if diff := cmp.Diff([]string{"layer 0: /bin/bad: reduce: not a binary"}, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestReduceStream(t *testing.T) {
	firstLine := func(_ string, r io.Reader) ([]byte, error) {
		b := make([]byte, 4)
		n, err := io.ReadFull(r, b)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		if string(b[:n]) == "fail" {
			return nil, errors.New("rejected")
		}
		return b[:n], nil // the rest is left unread
	}
	big := strings.Repeat("x", 200)
	o := layerfs.Options{Digests: true, MaxFileSize: 100, Requests: []layerfs.Request{{Globs: []string{"/s/*"}, ReduceStream: firstLine}}}
	fsys := walk(t, o, tarLayer(imagetest.File("s/big", "head"+big), imagetest.File("s/fail", "fail!"), imagetest.File("s/after", "tail")))
	if got, err := fsys.ReadFile("/s/big"); err != nil || string(got) != "head" {
		t.Errorf("ReadFile(/s/big) = %q, %v; want the reduced head (no cap applies: nothing is buffered)", got, err)
	}
	if got, err := fsys.ReadFile("/s/after"); err != nil || string(got) != "tail" {
		t.Errorf("the entry after a partly read one = %q, %v", got, err)
	}
	f, _ := fsys.Lookup("/s/big")
	if want := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte("head"+big))); f.Digest != want {
		t.Errorf("digest of a partly reduced file = %s, want the whole content's %s", f.Digest, want)
	}
	if ws := fsys.Warnings(); len(ws) != 1 || ws[0].Path != "/s/fail" {
		t.Errorf("warnings = %v, want one for /s/fail", ws)
	}
}
