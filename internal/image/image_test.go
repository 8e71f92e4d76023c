package image_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// sample is a small Debian-like image with an application layer on top.
func sample(t testing.TB, platform v1.Platform, docker bool) v1.Image {
	t.Helper()
	img, err := imagetest.Image{
		Platform:         platform,
		DockerMediaTypes: docker,
		Config: v1.Config{
			User:         "app",
			ExposedPorts: map[string]struct{}{"8080/tcp": {}},
			Env:          []string{"PATH=/usr/bin", "DB_PASSWORD=hunter2", "TOKEN_URL=https://x"},
			Cmd:          []string{"/app/run"},
			WorkingDir:   "/app",
			Labels:       map[string]string{"org.opencontainers.image.source": "https://example.com/app"},
			StopSignal:   "SIGTERM",
		},
		Layers: []imagetest.Layer{
			{
				CreatedBy: "/bin/sh -c #(nop) ADD file:abc in / ",
				Entries: []imagetest.Entry{
					imagetest.Dir("etc"), imagetest.Dir("usr"), imagetest.Dir("usr/lib"),
					imagetest.File("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
					imagetest.Symlink("etc/os-release", "../usr/lib/os-release"),
					imagetest.File("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
				},
			},
			{
				CreatedBy:     "RUN /bin/sh -c useradd app # buildkit",
				HistoryBefore: []v1.History{{CreatedBy: "/bin/sh -c #(nop)  ENV PATH=/usr/bin"}},
				Compression:   imagetest.Zstd,
				Entries:       []imagetest.Entry{imagetest.File("etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n")},
			},
			{
				CreatedBy:   "COPY app /app # buildkit",
				Compression: imagetest.Uncompressed,
				Entries:     []imagetest.Entry{imagetest.Dir("app"), imagetest.File("app/run", "#!/bin/sh\n")},
			},
		},
	}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

var amd64 = v1.Platform{OS: "linux", Architecture: "amd64"}

func open(t *testing.T, ref string, o image.Options) *image.Image {
	t.Helper()
	im, err := image.Open(context.Background(), ref, o)
	if err != nil {
		t.Fatalf("Open(%s): %v", ref, err)
	}
	t.Cleanup(func() { im.Close() })
	return im
}

func inspect(t *testing.T, im *image.Image) *image.Inspection {
	t.Helper()
	in, err := image.Inspect(context.Background(), im, image.InspectOptions{})
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return in
}

// checkSample verifies what every source must report for the sample image.
func checkSample(t *testing.T, in *image.Inspection, want v1.Image) {
	t.Helper()
	cfg, _ := want.ConfigFile()
	var gotDiffIDs []string
	for _, l := range in.Layers {
		gotDiffIDs = append(gotDiffIDs, l.DiffID)
	}
	var wantDiffIDs []string
	for _, d := range cfg.RootFS.DiffIDs {
		wantDiffIDs = append(wantDiffIDs, d.String())
	}
	if diff := cmp.Diff(wantDiffIDs, gotDiffIDs); diff != "" {
		t.Errorf("diffIDs (-want +got):\n%s", diff)
	}
	if in.Distro == nil || in.Distro.ID != "debian" || in.Distro.VersionID != "12" || in.Distro.Codename != "bookworm" {
		t.Errorf("distro = %+v, want debian 12 bookworm", in.Distro)
	}
	if got := []string{in.Layers[0].CreatedBy, in.Layers[1].CreatedBy, in.Layers[2].CreatedBy}; got[2] != "COPY app /app # buildkit" || !strings.Contains(got[0], "ADD file:abc") {
		t.Errorf("created_by per layer = %q", got)
	}
	c := in.Config
	if c == nil || c.User != "app" || c.WorkingDir != "/app" || c.StopSignal != "SIGTERM" {
		t.Fatalf("config = %+v", c)
	}
	if diff := cmp.Diff([]string{"PATH=/usr/bin", "DB_PASSWORD=" + image.Masked, "TOKEN_URL=" + image.Masked}, c.Env); diff != "" {
		t.Errorf("env (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"8080/tcp"}, c.ExposedPorts); diff != "" {
		t.Errorf("ports (-want +got):\n%s", diff)
	}
	wantDockerfile := image.DockerfileHeader + "ADD file:abc in /\nENV PATH=/usr/bin\nRUN useradd app\nCOPY app /app\n"
	if diff := cmp.Diff(wantDockerfile, in.Dockerfile); diff != "" {
		t.Errorf("dockerfile (-want +got):\n%s", diff)
	}
	var layers []int
	for _, h := range in.History {
		if h.Layer != nil {
			layers = append(layers, *h.Layer)
		} else {
			layers = append(layers, -1)
		}
	}
	if diff := cmp.Diff([]int{0, -1, 1, 2}, layers); diff != "" {
		t.Errorf("history → layer (-want +got):\n%s", diff)
	}
	passwd, ok := in.FS.Lookup("/etc/passwd")
	if !ok || passwd.Layer != 1 {
		t.Errorf("/etc/passwd = %+v, want from layer 1", passwd)
	}
}

func TestSources(t *testing.T) {
	img := sample(t, amd64, false)
	dockerImg := sample(t, amd64, true)
	dir := t.TempDir()
	layout := filepath.Join(dir, "layout")
	archive := filepath.Join(dir, "image.oci.tar")
	dockerTar := filepath.Join(dir, "image.docker.tar")
	dockerOCI := filepath.Join(dir, "image.docker-oci.tar")
	for _, err := range []error{
		imagetest.WriteOCILayout(layout, imagetest.Tagged{Tag: "v1", Image: img}),
		imagetest.WriteOCIArchive(archive, imagetest.Tagged{Tag: "v1", Image: img}),
		imagetest.WriteDockerArchive(dockerTar, imagetest.Tagged{Tag: "example.com/app:v1", Image: dockerImg}),
		imagetest.WriteDockerArchiveWith(dockerOCI, imagetest.DockerArchiveOptions{Format: imagetest.DockerOCI, Gzip: true},
			imagetest.Tagged{Tag: "example.com/app:v1", Image: dockerImg}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	digest, _ := img.Digest()
	for _, tc := range []struct {
		ref        string
		want       v1.Image
		wantDigest string
	}{
		{ref: "oci-dir:" + layout, want: img, wantDigest: digest.String()},
		{ref: "oci:" + layout + ":v1", want: img, wantDigest: digest.String()},
		{ref: "oci-archive:" + archive, want: img, wantDigest: digest.String()},
		{ref: "oci-archive:" + archive + ":v1", want: img, wantDigest: digest.String()},
		{ref: "docker-archive:" + dockerTar, want: dockerImg},
		{ref: "docker-archive:" + dockerTar + ":example.com/app:v1", want: dockerImg},
		{ref: "docker-archive:" + dockerOCI, want: dockerImg},
	} {
		t.Run(tc.ref[:strings.Index(tc.ref, ":")], func(t *testing.T) {
			im := open(t, tc.ref, image.Options{})
			if im.ManifestDigest != tc.wantDigest {
				t.Errorf("manifest digest = %q, want %q", im.ManifestDigest, tc.wantDigest)
			}
			if im.Platform == nil || im.Platform.Architecture != "amd64" {
				t.Errorf("platform = %v", im.Platform)
			}
			checkSample(t, inspect(t, im), tc.want)
		})
	}
}

func TestDockerArchiveStdin(t *testing.T) {
	img := sample(t, amd64, true)
	p := filepath.Join(t.TempDir(), "image.tar")
	if err := imagetest.WriteDockerArchive(p, imagetest.Tagged{Tag: "app:v1", Image: img}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	im := open(t, "docker-archive:-", image.Options{Stdin: f})
	checkSample(t, inspect(t, im), img)
	if diff := cmp.Diff([]string{"app:v1"}, im.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

func TestSelection(t *testing.T) {
	amdImg := sample(t, amd64, false)
	armImg := sample(t, v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, false)
	idx, err := imagetest.Index(amdImg, armImg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	multi := filepath.Join(dir, "multi")
	if err := imagetest.WriteOCILayout(multi, imagetest.Tagged{Tag: "v1", Image: amdImg}, imagetest.Tagged{Tag: "v2", Image: armImg}); err != nil {
		t.Fatal(err)
	}
	withIndex := filepath.Join(dir, "index")
	if err := imagetest.WriteOCILayout(withIndex, imagetest.Tagged{Tag: "latest", Index: idx}); err != nil {
		t.Fatal(err)
	}
	armDigest, _ := armImg.Digest()
	idxDigest, _ := idx.Digest()

	t.Run("tag picks the image", func(t *testing.T) {
		im := open(t, "oci-dir:"+multi+":v2", image.Options{})
		if im.Platform.Architecture != "arm64" {
			t.Errorf("platform = %v, want arm64", im.Platform)
		}
	})
	t.Run("platform picks from an index", func(t *testing.T) {
		im := open(t, "oci-dir:"+withIndex, image.Options{Platform: "linux/arm64"})
		if im.ManifestDigest != armDigest.String() || im.IndexDigest != idxDigest.String() {
			t.Errorf("digests = %s (index %s), want %s (index %s)", im.ManifestDigest, im.IndexDigest, armDigest, idxDigest)
		}
	})
	for _, tc := range []struct {
		name, ref, platform string
		want                []string
	}{
		{"several images need a tag", "oci-dir:" + multi, "", []string{"holds 2 images", "v1", "v2"}},
		{"unknown tag lists the tags", "oci-dir:" + multi + ":v9", "", []string{`no image tagged "v9"`, "v1, v2"}},
		{"absent platform lists the platforms", "oci-dir:" + withIndex, "linux/s390x", []string{"linux/s390x is not in the index", "linux/amd64", "linux/arm64/v8"}},
		{"bad platform", "oci-dir:" + withIndex, "nonsense", []string{"platform", "nonsense"}},
		{"missing layout", "oci-dir:" + filepath.Join(dir, "none"), "", []string{"no such file"}},
		{"layout is a file", "oci-dir:" + filepath.Join(multi, "index.json"), "", []string{"not a directory"}},
		{"not a layout", "oci-dir:" + dir, "", []string{"no oci-layout file"}},
		{"archive missing", "oci-archive:" + filepath.Join(dir, "none.tar"), "", []string{"no such file"}},
		{"docker archive that is not a tar", "docker-archive:" + filepath.Join(multi, "index.json"), "", []string{"docker archive"}},
		{"sbom is not an image", "sbom:x.json", "", []string{"not an image source"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := image.Open(context.Background(), tc.ref, image.Options{Platform: tc.platform})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestCorruptLayouts(t *testing.T) {
	img := sample(t, amd64, false)
	dir := t.TempDir()
	layers, _ := img.Layers()
	layerDigest, _ := layers[1].Digest()

	missing := filepath.Join(dir, "missing")
	if err := imagetest.WriteOCILayout(missing, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.RemoveBlob(missing, layerDigest); err != nil {
		t.Fatal(err)
	}
	cfg, _ := img.ConfigFile()
	lying := append([]v1.Hash(nil), cfg.RootFS.DiffIDs...)
	lying[2] = v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("ab", 32)}
	liar, err := imagetest.SetDiffIDs(img, lying)
	if err != nil {
		t.Fatal(err)
	}
	badDiff := filepath.Join(dir, "baddiff")
	if err := imagetest.WriteOCILayout(badDiff, imagetest.Tagged{Image: liar}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ref string
		want      []string
	}{
		{"manifest names a missing blob", "oci-dir:" + missing, []string{"layer 1", layerDigest.String(), "missing from the layout"}},
		{"diffID does not match the config", "oci-dir:" + badDiff, []string{"layer 2", "not the sha256:abab"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im := open(t, tc.ref, image.Options{})
			_, err := image.Inspect(context.Background(), im, image.InspectOptions{})
			if err == nil {
				t.Fatal("Inspect succeeded")
			}
			for _, w := range append(tc.want, tc.ref) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestNonDistributableLayerSkipped(t *testing.T) {
	img, err := imagetest.Image{Layers: []imagetest.Layer{
		{Entries: []imagetest.Entry{imagetest.File("windows-base", "x")}, MediaType: types.OCIRestrictedLayer, URLs: []string{"https://example.com/blob"}},
		{Entries: []imagetest.Entry{imagetest.File("app", "y")}},
	}}.Build()
	if err != nil {
		t.Fatal(err)
	}
	layout := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(layout, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	layers, _ := img.Layers()
	d, _ := layers[0].Digest()
	if err := imagetest.RemoveBlob(layout, d); err != nil { // as a registry would not serve it
		t.Fatal(err)
	}
	in := inspect(t, open(t, "oci-dir:"+layout, image.Options{}))
	if in.Layers[0].Skip == "" || !strings.Contains(strings.Join(in.Warnings, "\n"), "non-distributable") {
		t.Errorf("layer 0 not skipped with a warning: %+v %v", in.Layers[0], in.Warnings)
	}
	if _, ok := in.FS.Lookup("/app"); !ok {
		t.Error("/app from layer 1 missing")
	}
}

func TestDir(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "etc"), 0o755))
	must(os.WriteFile(filepath.Join(root, "etc", "alpine-release"), []byte("3.19.1\n"), 0o644))
	must(os.Symlink("/etc/alpine-release", filepath.Join(root, "release")))
	in := inspect(t, open(t, "dir:"+root, image.Options{}))
	if in.Distro == nil || in.Distro.ID != "alpine" || in.Distro.VersionID != "3.19.1" {
		t.Errorf("distro = %+v, want alpine 3.19.1 from /etc/alpine-release", in.Distro)
	}
	if f, ok := in.FS.Lookup("/release"); !ok || f.Linkname != "/etc/alpine-release" {
		t.Errorf("/release = %+v", f)
	}
	if in.Layers[0].DiffID == "" {
		t.Error("dir layer has no computed diffID")
	}
	if _, err := image.Open(context.Background(), "dir:"+filepath.Join(root, "etc", "alpine-release"), image.Options{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("dir: on a file: %v", err)
	}
}

func TestUnknownScheme(t *testing.T) {
	_, err := image.Open(context.Background(), "sbom:foo.json", image.Options{})
	if !errors.Is(err, image.ErrBadReference) {
		t.Errorf("error = %v, want ErrBadReference", err)
	}
}

func TestReferenceSchemes(t *testing.T) {
	for _, tc := range []struct{ ref, scheme, rest string }{
		{"registry:5000/team/app:1", "registry", "registry:5000/team/app:1"},
		{"registry:5000", "registry", "registry:5000"},
		{"registry:alpine:3.19", "registry", "alpine:3.19"},
		{"oci:/tmp/layout:v1", "oci", "/tmp/layout:v1"},
		{"alpine:3.19", "registry", "alpine:3.19"},
		{"localhost:5000/x", "registry", "localhost:5000/x"},
	} {
		if s, r := image.SplitScheme(tc.ref); s != tc.scheme || r != tc.rest {
			t.Errorf("SplitScheme(%q) = %q, %q; want %q, %q", tc.ref, s, r, tc.scheme, tc.rest)
		}
	}
}

func TestDirThroughSymlink(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	in := inspect(t, open(t, "dir:"+link, image.Options{}))
	if _, ok := in.FS.Lookup("/f"); !ok {
		t.Errorf("dir: through a symlink read %d files, want /f", in.FS.Len())
	}
}

func TestDirUnreadableFileWarns(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode; the unreadable case needs another user")
	}
	root := t.TempDir()
	secret := filepath.Join(root, "secret")
	if err := os.WriteFile(secret, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	in := inspect(t, open(t, "dir:"+root, image.Options{}))
	if !strings.Contains(strings.Join(in.Warnings, "\n"), secret) {
		t.Errorf("warnings %v do not name the unreadable %s", in.Warnings, secret)
	}
}
