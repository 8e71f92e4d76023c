package imagetest

import (
	"archive/tar"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// multiArch returns an index of two single-layer images and the images.
func multiArch(t *testing.T) (v1.ImageIndex, []v1.Image) {
	t.Helper()
	var imgs []v1.Image
	for _, p := range []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64", Variant: "v8"}} {
		imgs = append(imgs, mustBuild(t, Image{
			Platform: p,
			Layers:   []Layer{{Entries: []Entry{File("arch", p.Architecture)}}},
		}))
	}
	idx, err := Index(imgs...)
	if err != nil {
		t.Fatalf("Index: %v", err)
	}
	return idx, imgs
}

func digestOf(t *testing.T, d interface{ Digest() (v1.Hash, error) }) v1.Hash {
	t.Helper()
	h, err := d.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestIndexPlatforms(t *testing.T) {
	idx, imgs := multiArch(t)
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	want := []v1.Descriptor{
		{MediaType: types.OCIManifestSchema1, Digest: digestOf(t, imgs[0]), Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}},
		{MediaType: types.OCIManifestSchema1, Digest: digestOf(t, imgs[1]), Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}},
	}
	if diff := cmp.Diff(want, im.Manifests, cmpIgnoreSize); diff != "" {
		t.Errorf("index manifests (-want +got):\n%s", diff)
	}
	if im.MediaType != types.OCIImageIndex {
		t.Errorf("index media type = %s", im.MediaType)
	}
}

var cmpIgnoreSize = cmp.Transformer("nosize", func(d v1.Descriptor) v1.Descriptor { d.Size = 0; return d })

// checkLayout reads the layout at dir back and compares it with the items
// written into it: order, tags, digests, diffIDs and layer entries.
func checkLayout(t *testing.T, dir string, items []Tagged) {
	t.Helper()
	p, err := layout.FromPath(dir)
	if err != nil {
		t.Fatalf("layout.FromPath: %v", err)
	}
	root, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	im, err := root.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != len(items) {
		t.Fatalf("index.json lists %d manifests, want %d", len(im.Manifests), len(items))
	}
	for i, it := range items {
		desc := im.Manifests[i]
		if got := desc.Annotations[RefNameAnnotation]; got != it.Tag {
			t.Errorf("item %d: tag = %q, want %q", i, got, it.Tag)
		}
		if it.Index != nil {
			if desc.Digest != digestOf(t, it.Index) {
				t.Errorf("item %d: index digest = %s, want %s", i, desc.Digest, digestOf(t, it.Index))
			}
			child, err := root.ImageIndex(desc.Digest)
			if err != nil {
				t.Fatal(err)
			}
			cm, _ := child.IndexManifest()
			for _, c := range cm.Manifests {
				img, err := child.Image(c.Digest)
				if err != nil {
					t.Fatal(err)
				}
				checkImage(t, img, mustImage(t, it.Index, c.Digest), true)
			}
			continue
		}
		if desc.Digest != digestOf(t, it.Image) {
			t.Errorf("item %d: image digest = %s, want %s", i, desc.Digest, digestOf(t, it.Image))
		}
		img, err := p.Image(desc.Digest)
		if err != nil {
			t.Fatal(err)
		}
		checkImage(t, img, it.Image, true)
	}
}

func mustImage(t *testing.T, idx v1.ImageIndex, h v1.Hash) v1.Image {
	t.Helper()
	img, err := idx.Image(h)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// checkImage compares a read-back image with the one written: config
// digest, diffIDs, history and the entries of every layer, and the layer
// digests when sameBlobs (docker archives store layers recompressed).
func checkImage(t *testing.T, got, want v1.Image, sameBlobs bool) {
	t.Helper()
	gcn, err := got.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	if wcn, _ := want.ConfigName(); gcn != wcn {
		t.Errorf("config digest = %s, want %s", gcn, wcn)
	}
	gcf, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	wcf, _ := want.ConfigFile()
	if diff := cmp.Diff(wcf.RootFS.DiffIDs, gcf.RootFS.DiffIDs); diff != "" {
		t.Errorf("diffIDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wcf.History, gcf.History); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	gl, err := got.Layers()
	if err != nil {
		t.Fatal(err)
	}
	wl, _ := want.Layers()
	if len(gl) != len(wl) {
		t.Fatalf("%d layers, want %d", len(gl), len(wl))
	}
	for i := range gl {
		if diff := cmp.Diff(layerEntries(t, wl[i]), layerEntries(t, gl[i])); diff != "" {
			t.Errorf("layer %d entries (-want +got):\n%s", i, diff)
		}
		if gd, wd := digestOf(t, gl[i]), digestOf(t, wl[i]); sameBlobs && gd != wd {
			t.Errorf("layer %d digest %s, want %s", i, gd, wd)
		}
	}
}

// layerEntries reads a layer's uncompressed tar.
func layerEntries(t *testing.T, l v1.Layer) []tarEntry {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	return readTar(t, rc)
}

func TestWriteOCILayout(t *testing.T) {
	idx, _ := multiArch(t)
	items := []Tagged{
		{Tag: "1.0", Image: mustBuild(t, sample())},
		{Tag: "multi", Index: idx},
		{Image: mustBuild(t, Image{Layers: []Layer{{Entries: []Entry{File("untagged", "x")}}}})},
	}
	dir := t.TempDir()
	if err := WriteOCILayout(dir, items...); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, dir, items)
}

func TestWriteOCILayoutRejectsEmptyItem(t *testing.T) {
	if err := WriteOCILayout(t.TempDir(), Tagged{Tag: "x"}); err == nil {
		t.Error("an item with neither image nor index was accepted")
	}
}

func TestWriteOCIArchive(t *testing.T) {
	idx, _ := multiArch(t)
	items := []Tagged{{Tag: "1.0", Image: mustBuild(t, sample())}, {Tag: "multi", Index: idx}}
	path := filepath.Join(t.TempDir(), "image.tar")
	if err := WriteOCIArchive(path, items...); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	names := untar(t, path, dir)
	for _, want := range []string{"oci-layout", "index.json", "blobs/", "blobs/sha256/"} {
		if !slices.Contains(names, want) {
			t.Errorf("archive lacks %q; has %v", want, names)
		}
	}
	checkLayout(t, dir, items)
}

// untar extracts the plain files and directories of the tar at path into
// dir and returns the entry names.
func untar(t *testing.T, path, dir string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
		if strings.Contains(hdr.Name, "..") || filepath.IsAbs(hdr.Name) {
			t.Fatalf("unsafe archive entry %q", hdr.Name)
		}
		target := filepath.Join(dir, hdr.Name)
		switch hdr.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = writeFileFrom(target, tr)
		default:
			t.Fatalf("unexpected entry type %c for %q", hdr.Typeflag, hdr.Name)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func writeFileFrom(path string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func TestRemoveBlob(t *testing.T) {
	img := mustBuild(t, sample())
	dir := t.TempDir()
	if err := WriteOCILayout(dir, Tagged{Tag: "1.0", Image: img}); err != nil {
		t.Fatal(err)
	}
	layers, _ := img.Layers()
	missing := digestOf(t, layers[1])
	if err := RemoveBlob(dir, missing); err != nil {
		t.Fatal(err)
	}
	if err := RemoveBlob(dir, missing); err == nil {
		t.Error("removing an absent blob succeeded")
	}
	p, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Image(digestOf(t, img))
	if err != nil {
		t.Fatal(err)
	}
	gl, err := got.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gl[1].Compressed(); err == nil {
		t.Error("reading the removed blob succeeded")
	}
	if _, err := gl[0].Compressed(); err != nil {
		t.Errorf("reading a kept blob: %v", err)
	}
}
