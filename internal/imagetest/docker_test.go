package imagetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func TestWriteDockerArchive(t *testing.T) {
	app := mustBuild(t, sample())
	base := mustBuild(t, Image{Layers: sample().Layers[:1], DockerMediaTypes: true})
	items := []Tagged{
		{Tag: "example.com/app:1.0", Image: app},
		{Tag: "example.com/base:12", Image: base},
		{Tag: "example.com/app:latest", Image: app},
	}
	formats := []struct {
		name         string
		opts         DockerArchiveOptions
		wantLayerDir bool // classic <id>/layer.tar paths
	}{
		{"classic", DockerArchiveOptions{}, true},
		{"classic gzip", DockerArchiveOptions{Gzip: true}, true},
		{"oci", DockerArchiveOptions{Format: DockerOCI}, false},
		{"oci gzip", DockerArchiveOptions{Format: DockerOCI, Gzip: true}, false},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "save.tar")
			if err := WriteDockerArchiveWith(path, f.opts, items...); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			names := untar(t, path, dir)
			var manifest []dockerManifest
			b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
			gotTags := [][]string{manifest[0].RepoTags, manifest[1].RepoTags}
			wantTags := [][]string{{"example.com/app:1.0", "example.com/app:latest"}, {"example.com/base:12"}}
			if diff := cmp.Diff(wantTags, gotTags); diff != "" {
				t.Errorf("RepoTags (-want +got):\n%s", diff)
			}
			for _, l := range manifest[0].Layers {
				if got := strings.HasSuffix(l, "/layer.tar"); got != f.wantLayerDir {
					t.Errorf("layer path %q, want classic form %v", l, f.wantLayerDir)
				}
			}
			if !slices.Contains(names, "repositories") {
				t.Error("archive lacks repositories")
			}
			for _, it := range items {
				tag, err := name.NewTag(it.Tag)
				if err != nil {
					t.Fatal(err)
				}
				got, err := tarball.ImageFromPath(path, &tag)
				if err != nil {
					t.Fatalf("tarball.ImageFromPath %s: %v", it.Tag, err)
				}
				checkImage(t, got, it.Image, false)
			}
			if f.opts.Format == DockerOCI {
				checkDockerOCILayout(t, dir, []v1.Image{app, base})
			}
		})
	}
}

// checkDockerOCILayout reads the OCI layout inside a Docker 25+ archive.
func checkDockerOCILayout(t *testing.T, dir string, want []v1.Image) {
	t.Helper()
	p, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 3 {
		t.Fatalf("index.json lists %d manifests, want 3", len(im.Manifests))
	}
	if got := im.Manifests[0].Annotations["io.containerd.image.name"]; got != "example.com/app:1.0" {
		t.Errorf("containerd name = %q", got)
	}
	for i, w := range []v1.Image{want[0], want[1], want[0]} {
		img, err := p.Image(im.Manifests[i].Digest)
		if err != nil {
			t.Fatal(err)
		}
		checkImage(t, img, w, false)
	}
}

func TestWriteDockerArchiveRejectsIndex(t *testing.T) {
	idx, _ := multiArch(t)
	path := filepath.Join(t.TempDir(), "save.tar")
	if err := WriteDockerArchive(path, Tagged{Tag: "a:b", Index: idx}); err == nil {
		t.Error("an index was written to a docker archive")
	}
}

func TestWriteDockerArchiveUntagged(t *testing.T) {
	img := mustBuild(t, sample())
	path := filepath.Join(t.TempDir(), "save.tar")
	if err := WriteDockerArchive(path, Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	got, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkImage(t, got, img, false)
}

func TestSplitTag(t *testing.T) {
	tests := []struct {
		ref, repo, tag string
		ok             bool
	}{
		{"alpine:3.19", "alpine", "3.19", true},
		{"localhost:5000/app:1", "localhost:5000/app", "1", true},
		{"localhost:5000/app", "", "", false},
		{"app", "", "", false},
	}
	for _, tc := range tests {
		repo, tag, ok := splitTag(tc.ref)
		if repo != tc.repo || tag != tc.tag || ok != tc.ok {
			t.Errorf("splitTag(%q) = %q, %q, %v; want %q, %q, %v", tc.ref, repo, tag, ok, tc.repo, tc.tag, tc.ok)
		}
	}
}
