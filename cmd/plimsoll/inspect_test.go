package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// testLayout writes a two-platform layout whose top layer deletes and replaces
// files, and returns its path.
func testLayout(t *testing.T) string {
	t.Helper()
	build := func(arch string) v1.Image {
		suid := imagetest.File("usr/bin/passwd", "elf")
		suid.Mode = 0o4755
		img, err := imagetest.Image{
			Platform: v1.Platform{OS: "linux", Architecture: arch},
			Config: v1.Config{
				ExposedPorts: map[string]struct{}{"22/tcp": {}},
				Env:          []string{"API_KEY=abc123", "LANG=C.UTF-8"},
				Entrypoint:   []string{"/entry.sh"},
				Healthcheck:  &v1.HealthConfig{Test: []string{"CMD", "true"}},
			},
			Layers: []imagetest.Layer{
				{CreatedBy: "/bin/sh -c #(nop) ADD file:base in / ", Entries: []imagetest.Entry{
					imagetest.Dir("etc"), imagetest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
					imagetest.File("etc/motd", "hello"), imagetest.Dir("usr"), imagetest.Dir("usr/bin"), suid,
				}},
				{CreatedBy: "RUN /bin/sh -c rm /etc/motd # buildkit", Entries: []imagetest.Entry{
					imagetest.Whiteout("etc/motd"), imagetest.File("etc/issue", "welcome"),
				}},
			},
		}.Build()
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	idx, err := imagetest.Index(build("amd64"), build("arm64"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Tag: "latest", Index: idx}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestInspectJSON(t *testing.T) {
	layout := testLayout(t)
	out, stderr, code := run(t, "inspect", "oci-dir:"+layout, "--platform", "linux/arm64", "--digests", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Image struct {
			ManifestDigest, IndexDigest string
			Platform                    struct{ Architecture string }
		}
		Layers []struct{ DiffID, CreatedBy string }
		Config struct {
			User         string
			ExposedPorts []string
			Env          []string
			Healthcheck  []string
		}
		Dockerfile string
		Distro     struct{ ID, VersionID string }
		Files      []struct {
			Path, Mode, Digest, DiffID string
			Layer                      int
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Image.Platform.Architecture != "arm64" || got.Image.IndexDigest == "" || len(got.Layers) != 2 {
		t.Errorf("image = %+v, layers %d", got.Image, len(got.Layers))
	}
	if diff := cmp.Diff([]string{"API_KEY=********", "LANG=C.UTF-8"}, got.Config.Env); diff != "" {
		t.Errorf("env (-want +got):\n%s", diff)
	}
	if got.Distro.ID != "alpine" || got.Distro.VersionID != "3.19.1" {
		t.Errorf("distro = %+v", got.Distro)
	}
	if !strings.Contains(got.Dockerfile, "RUN rm /etc/motd") || !strings.HasPrefix(got.Dockerfile, "# Reconstructed") {
		t.Errorf("dockerfile = %q", got.Dockerfile)
	}
	var paths []string
	for _, f := range got.Files {
		paths = append(paths, f.Path)
		if f.Path == "/usr/bin/passwd" && (f.Mode != "4755" || !strings.HasPrefix(f.Digest, "sha256:") || f.DiffID != got.Layers[0].DiffID) {
			t.Errorf("passwd = %+v", f)
		}
		if f.Path == "/etc/issue" && f.Layer != 1 {
			t.Errorf("/etc/issue from layer %d, want 1", f.Layer)
		}
	}
	if diff := cmp.Diff([]string{"/etc", "/etc/issue", "/etc/os-release", "/usr", "/usr/bin", "/usr/bin/passwd"}, paths); diff != "" {
		t.Errorf("squashed files (-want +got):\n%s", diff)
	}
}

func TestInspectTableAndFiles(t *testing.T) {
	layout := testLayout(t)
	jsonFile := filepath.Join(t.TempDir(), "report.json")
	t.Setenv("PLIMSOLL_PLATFORM", "linux/amd64")
	out, stderr, code := run(t, "inspect", "oci-dir:"+layout, "--files", "--scope", "all-layers", "-o", "table", "-o", "json="+jsonFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Platform         linux/amd64", "LAYERS", "CONFIG", "(unset: runs as root)", "22/tcp", "HISTORY",
		"DOCKERFILE (reconstructed)", "FILES (all layers)", "hidden   /etc/motd", "-rwsr-xr-x",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(jsonFile)
	if err != nil || !json.Valid(b) {
		t.Errorf("json report file: %v", err)
	}
}

func TestInspectErrors(t *testing.T) {
	layout := testLayout(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"absent platform", []string{"inspect", "oci-dir:" + layout, "--platform", "linux/riscv64"}, "linux/amd64, linux/arm64"},
		{"missing image", []string{"inspect", "oci-dir:" + filepath.Join(layout, "nope")}, "no such file"},
		{"bad output format", []string{"inspect", "oci-dir:" + layout, "-o", "xml"}, `output format "xml" is not supported`},
		{"two outputs to stdout", []string{"inspect", "oci-dir:" + layout, "-o", "json", "-o", "table"}, "only one -o may write to stdout"},
		{"bad scope", []string{"inspect", "oci-dir:" + layout, "--scope", "half"}, "--scope"},
		{"no image", []string{"inspect"}, "accepts 1 arg"},
		{"unknown flag", []string{"inspect", "--nope", "x"}, "unknown flag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, tc.want)
			}
		})
	}
}

func TestInspectCorruptImage(t *testing.T) {
	good := imagetest.Tar(imagetest.File("etc/os-release", "ID=debian\n"))
	truncated := []byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x01, 0x02}
	img, err := imagetest.Image{Layers: []imagetest.Layer{
		{Entries: []imagetest.Entry{imagetest.File("ok", "1")}},
		{Raw: truncated, DiffID: sha256Hash(good)},
	}}.Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "inspect", "oci-dir:"+dir)
	if code != 2 || out != "" {
		t.Errorf("exit %d with stdout %q; want exit 2 and no report", code, out)
	}
	for _, want := range []string{"oci-dir:" + dir, "layer 1", "unexpected EOF"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not mention %q", stderr, want)
		}
	}
}

func sha256Hash(b []byte) v1.Hash {
	h, _, _ := v1.SHA256(bytes.NewReader(b))
	return h
}

// TestInspectTableStripsEscapes: a hostile image's history and entry names must
// not put terminal escape sequences on the user's screen.
func TestInspectTableStripsEscapes(t *testing.T) {
	img, err := imagetest.Image{Layers: []imagetest.Layer{{
		CreatedBy: "RUN echo \x1b]0;owned\x07 \x1b[2J",
		Entries:   []imagetest.Entry{imagetest.File("/abs\x1b[31mred", "x")},
	}}}.Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "inspect", "oci-dir:"+dir, "--files")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("table output carries control characters:\n%q", out)
	}
	for _, want := range []string{"DOCKERFILE (reconstructed)", "WARNINGS", "RUN echo"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

// TestInspectVerifyBlobDigest: a layer blob recompressed under its old name keeps
// its diffID, so it reads by default (the content is proven); with
// --verify-blob-digest the stored digest is checked too and the image fails.
func TestInspectVerifyBlobDigest(t *testing.T) {
	img, err := imagetest.Image{Layers: []imagetest.Layer{{Entries: []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=debian\n"), imagetest.File("data", strings.Repeat("payload ", 4096)),
	}}}}.Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	layers, _ := img.Layers()
	digest, _ := layers[0].Digest()
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	var recompressed bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&recompressed, gzip.BestSpeed)
	zw.Write(raw)
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "blobs", "sha256", digest.Hex), recompressed.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "inspect", "oci-dir:"+dir); code != 0 {
		t.Errorf("default: exit %d, want 0 (the diffID matches): %s", code, stderr)
	}
	_, stderr, code := run(t, "inspect", "oci-dir:"+dir, "--verify-blob-digest")
	if code != 2 || !strings.Contains(stderr, "blob digest is") || !strings.Contains(stderr, digest.String()) {
		t.Errorf("--verify-blob-digest: exit %d, stderr %q; want 2 naming the manifest's digest", code, stderr)
	}
}

// TestWriteFilesJSON: the report with files written one per line decodes to the
// same document encoding/json writes whole, with an empty list kept as [].
func TestWriteFilesJSON(t *testing.T) {
	files := []fileJSON{
		{File: &layerfs.File{Path: "/a", Type: layerfs.Regular, Mode: 0o4755, Size: 3}, DiffID: "sha256:x"},
		{File: &layerfs.File{Path: "/b <&>", Type: layerfs.Dir, Mode: 0o755}},
	}
	for _, tc := range []struct {
		name string
		head any
		list []fileJSON
	}{
		{"members and files", map[string]any{"schema": "x", "layers": []int{1, 2}}, files},
		{"no other member", map[string]any{}, files},
		{"no files", map[string]any{"schema": "x"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head, err := json.MarshalIndent(tc.head, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := writeFilesJSON(&buf, head, tc.list); err != nil {
				t.Fatal(err)
			}
			var got, want any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
			}
			whole := map[string]any{}
			json.Unmarshal(head, &whole)
			list := tc.list
			if list == nil {
				list = []fileJSON{}
			}
			whole["files"] = list
			b, _ := json.Marshal(whole)
			json.Unmarshal(b, &want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-whole +per-line)\n%s", diff)
			}
		})
	}
}
