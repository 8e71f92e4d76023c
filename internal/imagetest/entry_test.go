package imagetest

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tarEntry is what a test compares of a read-back tar entry.
type tarEntry struct {
	Name     string
	Type     byte
	Mode     int64
	UID, GID int
	Size     int64
	Linkname string
	Content  string
}

// readTar reads every entry of a tar stream, failing the test on an error.
func readTar(t *testing.T, r io.Reader) []tarEntry {
	t.Helper()
	got, err := readTarErr(r)
	if err != nil {
		t.Fatalf("read tar: %v", err)
	}
	return got
}

// readTarErr reads entries until the end or the first error.
func readTarErr(r io.Reader) ([]tarEntry, error) {
	var got []tarEntry
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return got, nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			return got, err
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			return got, err
		}
		if !hdr.ModTime.Equal(DefaultCreated) {
			return got, errors.New("entry " + hdr.Name + " has a non-fixed mtime")
		}
		got = append(got, tarEntry{
			Name: hdr.Name, Type: hdr.Typeflag, Mode: hdr.Mode, UID: hdr.Uid, GID: hdr.Gid,
			Size: hdr.Size, Linkname: hdr.Linkname, Content: string(body),
		})
	}
}

func TestHelpers(t *testing.T) {
	tests := []struct {
		name string
		got  Entry
		want Entry
	}{
		{"file", File("etc/os-release", "ID=debian\n"), Entry{Path: "etc/os-release", Type: tar.TypeReg, Mode: 0o644, Content: []byte("ID=debian\n")}},
		{"dir adds slash", Dir("etc"), Entry{Path: "etc/", Type: tar.TypeDir, Mode: 0o755}},
		{"dir keeps slash", Dir("etc/"), Entry{Path: "etc/", Type: tar.TypeDir, Mode: 0o755}},
		{"symlink", Symlink("bin", "usr/bin"), Entry{Path: "bin", Type: tar.TypeSymlink, Mode: 0o777, Linkname: "usr/bin"}},
		{"hardlink", Hardlink("a", "b"), Entry{Path: "a", Type: tar.TypeLink, Mode: 0o644, Linkname: "b"}},
		{"whiteout nested", Whiteout("etc/passwd"), Entry{Path: "etc/.wh.passwd", Type: tar.TypeReg, Mode: 0o644}},
		{"whiteout top", Whiteout("tmp"), Entry{Path: ".wh.tmp", Type: tar.TypeReg, Mode: 0o644}},
		{"whiteout dir", Whiteout("var/cache/"), Entry{Path: "var/.wh.cache", Type: tar.TypeReg, Mode: 0o644}},
		{"opaque", Opaque("var/lib/apt/"), Entry{Path: "var/lib/apt/.wh..wh..opq", Type: tar.TypeReg, Mode: 0o644}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("entry mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTarRoundTrip(t *testing.T) {
	setuid := File("usr/bin/su", "elf")
	setuid.Mode = 0o4755
	owned := File("home/app/x", "y")
	owned.UID, owned.GID = 1000, 1001
	dev := Entry{Path: "dev/null", Type: tar.TypeChar, Mode: 0o666, Devmajor: 1, Devminor: 3}
	fifo := Entry{Path: "run/fifo", Type: tar.TypeFifo, Mode: 0o600}
	in := []Entry{
		Dir("usr"), setuid, owned, dev, fifo,
		Symlink("bin", "usr/bin"), Hardlink("usr/bin/su2", "usr/bin/su"),
		File("./dot", "d"), File("/abs", "a"), File("../escape", "e"),
		Whiteout("etc/x"), Opaque("var"),
	}
	want := []tarEntry{
		{Name: "usr/", Type: tar.TypeDir, Mode: 0o755},
		{Name: "usr/bin/su", Type: tar.TypeReg, Mode: 0o4755, Size: 3, Content: "elf"},
		{Name: "home/app/x", Type: tar.TypeReg, Mode: 0o644, UID: 1000, GID: 1001, Size: 1, Content: "y"},
		{Name: "dev/null", Type: tar.TypeChar, Mode: 0o666},
		{Name: "run/fifo", Type: tar.TypeFifo, Mode: 0o600},
		{Name: "bin", Type: tar.TypeSymlink, Mode: 0o777, Linkname: "usr/bin"},
		{Name: "usr/bin/su2", Type: tar.TypeLink, Mode: 0o644, Linkname: "usr/bin/su"},
		{Name: "./dot", Type: tar.TypeReg, Mode: 0o644, Size: 1, Content: "d"},
		{Name: "/abs", Type: tar.TypeReg, Mode: 0o644, Size: 1, Content: "a"},
		{Name: "../escape", Type: tar.TypeReg, Mode: 0o644, Size: 1, Content: "e"},
		{Name: "etc/.wh.x", Type: tar.TypeReg, Mode: 0o644},
		{Name: "var/.wh..wh..opq", Type: tar.TypeReg, Mode: 0o644},
	}
	got := readTar(t, bytes.NewReader(Tar(in...)))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
	if !bytes.Equal(Tar(in...), Tar(in...)) {
		t.Error("Tar is not deterministic")
	}
}

func TestTarDeviceNumbers(t *testing.T) {
	tr := tar.NewReader(bytes.NewReader(Tar(Entry{Path: "dev/null", Type: tar.TypeChar, Mode: 0o666, Devmajor: 1, Devminor: 3})))
	hdr, err := tr.Next()
	if err != nil {
		t.Fatal(err)
	}
	if hdr.Devmajor != 1 || hdr.Devminor != 3 {
		t.Errorf("device = %d,%d, want 1,3", hdr.Devmajor, hdr.Devminor)
	}
}

func TestTarSizeOverride(t *testing.T) {
	const tenGiB = 10 << 30
	big := File("big", "only this")
	big.Size = tenGiB
	b := Tar(File("before", "x"), big, File("after", "never written"))

	tr := tar.NewReader(bytes.NewReader(b))
	if _, err := tr.Next(); err != nil {
		t.Fatalf("first entry: %v", err)
	}
	hdr, err := tr.Next()
	if err != nil {
		t.Fatalf("big entry: %v", err)
	}
	if hdr.Size != tenGiB {
		t.Errorf("header size = %d, want %d", hdr.Size, int64(tenGiB))
	}
	n, err := io.Copy(io.Discard, tr)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading body: err = %v, want io.ErrUnexpectedEOF", err)
	}
	if n != int64(len("only this")) {
		t.Errorf("read %d body bytes, want %d", n, len("only this"))
	}
	if bytes.Contains(b, []byte("never written")) {
		t.Error("entries after a truncating entry were written")
	}
}

func TestTarSizeSmallerThanContent(t *testing.T) {
	e := File("f", "abcdef")
	e.Size = 3
	got := readTar(t, bytes.NewReader(Tar(e, File("g", "z"))))
	want := []tarEntry{
		{Name: "f", Type: tar.TypeReg, Mode: 0o644, Size: 3, Content: "abc"},
		{Name: "g", Type: tar.TypeReg, Mode: 0o644, Size: 1, Content: "z"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries mismatch (-want +got):\n%s", diff)
	}
}
