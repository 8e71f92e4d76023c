package imagetest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// sample is a small image with three layers, interleaved empty history and a
// full runtime config.
func sample() Image {
	return Image{
		Layers: []Layer{
			{
				Entries:   []Entry{Dir("etc"), File("etc/os-release", "ID=debian\nVERSION_ID=12\n"), Dir("bin"), File("bin/sh", "#!")},
				CreatedBy: "/bin/sh -c #(nop) ADD file:abc in / ",
			},
			{
				Entries:       []Entry{Dir("app"), File("app/main", "binary"), Symlink("app/link", "main")},
				CreatedBy:     "COPY app /app # buildkit",
				Comment:       "buildkit.dockerfile.v0",
				Compression:   Zstd,
				HistoryBefore: []v1.History{{CreatedBy: "ENV PATH=/app"}},
			},
			{
				Entries:     []Entry{Whiteout("bin/sh"), Opaque("etc")},
				CreatedBy:   "RUN rm /bin/sh",
				Compression: Uncompressed,
			},
		},
		Config: v1.Config{
			User:         "1000:1000",
			Env:          []string{"PATH=/app", "API_TOKEN=secret"},
			Entrypoint:   []string{"/app/main"},
			Cmd:          []string{"--serve"},
			WorkingDir:   "/app",
			ExposedPorts: map[string]struct{}{"8080/tcp": {}},
			Labels:       map[string]string{"org.opencontainers.image.source": "https://example.com/app"},
			StopSignal:   "SIGTERM",
			Healthcheck:  &v1.HealthConfig{Test: []string{"CMD", "/app/main", "health"}},
		},
		EmptyHistory: []v1.History{{CreatedBy: "CMD [\"--serve\"]"}},
	}
}

func mustBuild(t *testing.T, im Image) v1.Image {
	t.Helper()
	img, err := im.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return img
}

func TestBuildValid(t *testing.T) {
	for _, docker := range []bool{false, true} {
		im := sample()
		im.DockerMediaTypes = docker
		// validate reads layers as gzip only: check zstd and uncompressed
		// layers structurally, and an all-gzip image fully.
		if err := validate.Image(mustBuild(t, im), validate.Fast); err != nil {
			t.Errorf("docker=%v: validate fast: %v", docker, err)
		}
		for i := range im.Layers {
			im.Layers[i].Compression = Gzip
		}
		if err := validate.Image(mustBuild(t, im)); err != nil {
			t.Errorf("docker=%v: validate: %v", docker, err)
		}
	}
}

func TestBuildDeterministic(t *testing.T) {
	a, b := mustBuild(t, sample()), mustBuild(t, sample())
	da, _ := a.Digest()
	db, _ := b.Digest()
	if da != db {
		t.Errorf("same input built to %s and %s", da, db)
	}
	changed := sample()
	changed.Layers[0].Entries[1] = File("etc/os-release", "ID=alpine\n")
	dc, _ := mustBuild(t, changed).Digest()
	if dc == da {
		t.Error("changed content kept the digest")
	}
}

func TestBuildConfig(t *testing.T) {
	img := mustBuild(t, sample())
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	created := v1.Time{Time: DefaultCreated}
	wantHistory := []v1.History{
		{Created: created, CreatedBy: "/bin/sh -c #(nop) ADD file:abc in / "},
		{Created: created, CreatedBy: "ENV PATH=/app", EmptyLayer: true},
		{Created: created, CreatedBy: "COPY app /app # buildkit", Comment: "buildkit.dockerfile.v0"},
		{Created: created, CreatedBy: "RUN rm /bin/sh"},
		{Created: created, CreatedBy: "CMD [\"--serve\"]", EmptyLayer: true},
	}
	if diff := cmp.Diff(wantHistory, cf.History); diff != "" {
		t.Errorf("history mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(sample().Config, cf.Config); diff != "" {
		t.Errorf("config mismatch (-want +got):\n%s", diff)
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" || !cf.Created.Equal(DefaultCreated) {
		t.Errorf("platform/created = %s/%s %v, want linux/amd64 %v", cf.OS, cf.Architecture, cf.Created, DefaultCreated)
	}
	layers, _ := img.Layers()
	for i, l := range layers {
		d, _ := l.DiffID()
		if cf.RootFS.DiffIDs[i] != d {
			t.Errorf("layer %d: config diffID %s, layer diffID %s", i, cf.RootFS.DiffIDs[i], d)
		}
	}
}

func TestBuildMediaTypes(t *testing.T) {
	tests := []struct {
		name        string
		docker      bool
		wantImage   types.MediaType
		wantConfig  types.MediaType
		wantLayers  []types.MediaType
		overrideTop types.MediaType
	}{
		{
			name: "oci", wantImage: types.OCIManifestSchema1, wantConfig: types.OCIConfigJSON,
			wantLayers: []types.MediaType{types.OCILayer, types.OCILayerZStd, types.OCIUncompressedLayer},
		},
		{
			name: "docker", docker: true, wantImage: types.DockerManifestSchema2, wantConfig: types.DockerConfigJSON,
			wantLayers: []types.MediaType{types.DockerLayer, types.OCILayerZStd, types.DockerUncompressedLayer},
		},
		{
			name: "override", wantImage: types.OCIManifestSchema1, wantConfig: types.OCIConfigJSON,
			overrideTop: types.OCIUncompressedRestrictedLayer,
			wantLayers:  []types.MediaType{types.OCILayer, types.OCILayerZStd, types.OCIUncompressedRestrictedLayer},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			im := sample()
			im.DockerMediaTypes = tc.docker
			im.Layers[2].MediaType = tc.overrideTop
			m, err := mustBuild(t, im).Manifest()
			if err != nil {
				t.Fatal(err)
			}
			var got []types.MediaType
			for _, l := range m.Layers {
				got = append(got, l.MediaType)
			}
			if diff := cmp.Diff(tc.wantLayers, got); diff != "" {
				t.Errorf("layer media types (-want +got):\n%s", diff)
			}
			if m.MediaType != tc.wantImage || m.Config.MediaType != tc.wantConfig {
				t.Errorf("manifest/config media type = %s/%s, want %s/%s", m.MediaType, m.Config.MediaType, tc.wantImage, tc.wantConfig)
			}
		})
	}
}

func TestBuildLayerContents(t *testing.T) {
	im := sample()
	layers, err := mustBuild(t, im).Layers()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatalf("layer %d: %v", i, err)
		}
		got := readTar(t, rc)
		rc.Close()
		want := readTar(t, bytes.NewReader(Tar(im.Layers[i].Entries...)))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("layer %d entries (-want +got):\n%s", i, diff)
		}
		diffID, _ := l.DiffID()
		if wantID := sha256Hash(Tar(im.Layers[i].Entries...)); diffID != wantID {
			t.Errorf("layer %d diffID = %s, want sha256 of the tar %s", i, diffID, wantID)
		}
	}
}

func TestGzipHeaderIsBare(t *testing.T) {
	layers, err := mustBuild(t, Image{Layers: []Layer{{Entries: []Entry{File("a", "b")}}}}).Layers()
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := layers[0].Compressed()
	zr, err := gzip.NewReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() || zr.Comment != "" {
		t.Errorf("gzip header carries name=%q mtime=%v comment=%q", zr.Name, zr.ModTime, zr.Comment)
	}
}

func TestRawLayer(t *testing.T) {
	good := Tar(File("a", "b"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(good)
	zw.Close()
	corrupt := append([]byte(nil), gz.Bytes()[:gz.Len()/2]...)
	override := v1.Hash{Algorithm: "sha256", Hex: "0000000000000000000000000000000000000000000000000000000000000001"}

	tests := []struct {
		name       string
		layer      Layer
		wantDiffID v1.Hash
	}{
		{"valid gzip", Layer{Raw: gz.Bytes()}, sha256Hash(good)},
		{"corrupt gzip", Layer{Raw: corrupt}, sha256Hash(corrupt)},
		{"uncompressed", Layer{Raw: good, Compression: Uncompressed}, sha256Hash(good)},
		{"override", Layer{Raw: corrupt, DiffID: override}, override},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img := mustBuild(t, Image{Layers: []Layer{tc.layer}})
			layers, _ := img.Layers()
			d, _ := layers[0].Digest()
			if want := sha256Hash(tc.layer.Raw); d != want {
				t.Errorf("digest = %s, want %s", d, want)
			}
			cf, _ := img.ConfigFile()
			if got := cf.RootFS.DiffIDs[0]; got != tc.wantDiffID {
				t.Errorf("diffID = %s, want %s", got, tc.wantDiffID)
			}
		})
	}
}

func TestPlatformAndCreated(t *testing.T) {
	when := time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)
	im := Image{Platform: v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, Created: when}
	cf, err := mustBuild(t, im).ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	want := &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
	if diff := cmp.Diff(want, cf.Platform()); diff != "" {
		t.Errorf("platform (-want +got):\n%s", diff)
	}
	if !cf.Created.Equal(when) {
		t.Errorf("created = %v, want %v", cf.Created, when)
	}
}

func TestSetDiffIDs(t *testing.T) {
	img := mustBuild(t, sample())
	lie := []v1.Hash{sha256Hash([]byte("a")), sha256Hash([]byte("b")), sha256Hash([]byte("c"))}
	bad, err := SetDiffIDs(img, lie)
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := bad.ConfigFile()
	if diff := cmp.Diff(lie, cf.RootFS.DiffIDs); diff != "" {
		t.Errorf("diffIDs (-want +got):\n%s", diff)
	}
	orig, _ := img.ConfigFile()
	if diff := cmp.Diff(orig.History, cf.History); diff != "" {
		t.Errorf("history changed (-want +got):\n%s", diff)
	}
	m, _ := bad.Manifest()
	om, _ := img.Manifest()
	if diff := cmp.Diff(om.Layers, m.Layers); diff != "" {
		t.Errorf("layers changed (-want +got):\n%s", diff)
	}
	if m.Config.Digest == om.Config.Digest {
		t.Error("config digest unchanged")
	}
}

func TestEmptyImage(t *testing.T) {
	img := mustBuild(t, Image{})
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Layers) != 0 {
		t.Errorf("layers = %d, want 0", len(m.Layers))
	}
	if _, err := tar.NewReader(bytes.NewReader(Tar())).Next(); err == nil {
		t.Error("empty tar has an entry")
	}
}
