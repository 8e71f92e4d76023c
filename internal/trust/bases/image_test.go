package bases

import (
	"bytes"
	"compress/gzip"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
)

func gz(t *testing.T, b []byte, level int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openLayout writes img to an OCI layout and opens it as plimsoll would.
func openLayout(t *testing.T, desc imagetest.Image) *image.Image {
	t.Helper()
	img, err := desc.Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Tag: "1", Image: img}); err != nil {
		t.Fatal(err)
	}
	im, err := image.Open(context.Background(), "oci-dir:"+dir+":1", image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { im.Close() })
	return im
}

// An application built on a base whose layers were recompressed (another
// gzip level, so other blob digests) is still detected: matching is on diffIDs.
func TestDetectRecompressedBase(t *testing.T) {
	rootfs := imagetest.Tar(
		imagetest.Dir("etc"),
		imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
		imagetest.File("bin/sh", string(bytes.Repeat([]byte("sh binary "), 500))),
	)
	base := openLayout(t, imagetest.Image{Layers: []imagetest.Layer{
		{Raw: gz(t, rootfs, gzip.BestCompression), CreatedBy: "ADD rootfs /"},
	}})
	claimed := "sha256:" + strings.Repeat("0", 64)
	app := openLayout(t, imagetest.Image{Annotations: map[string]string{AnnotationBaseDigest: claimed}, Layers: []imagetest.Layer{
		{Raw: gz(t, rootfs, gzip.BestSpeed), CreatedBy: "ADD rootfs /"},
		{Entries: []imagetest.Entry{imagetest.File("app/run", "#!/bin/sh\n")}, CreatedBy: "COPY app /app"},
	}})
	if base.Layers[0].Digest == app.Layers[0].Digest {
		t.Fatal("the recompressed layer has the same blob digest; the test proves nothing")
	}
	cat := New()
	c := FromImage(base)
	if c.Platform != "linux/amd64" || c.Digest != base.ManifestDigest {
		t.Errorf("FromImage = platform %q digest %q, want linux/amd64 %s", c.Platform, c.Digest, base.ManifestDigest)
	}
	if _, err := cat.Put(c, t0); err != nil {
		t.Fatal(err)
	}
	var diffIDs []string
	for _, l := range app.Layers {
		diffIDs = append(diffIDs, l.DiffID)
	}
	m, err := NewIndex(cat).Detect(diffIDs)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Found() || m.Layers != 1 || m.Hits[0].Digest() != base.ManifestDigest {
		t.Errorf("Detect = %+v, want the base's one layer", m)
	}
	// The manifest's annotation claims another base: read, and only warned about.
	if app.Annotations[AnnotationBaseDigest] != claimed {
		t.Fatalf("image annotations = %v, want the base digest annotation", app.Annotations)
	}
	if w := CheckHints(m, app.Annotations); len(w) != 1 || !strings.Contains(w[0], claimed) {
		t.Errorf("CheckHints = %q, want one warning naming %s", w, claimed)
	}
}
