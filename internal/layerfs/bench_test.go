package layerfs_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// benchLayers builds a realistic three-layer image in memory (gzip blobs).
func benchLayers(b *testing.B) ([]layerfs.Layer, int64) {
	b.Helper()
	img, err := imagetest.Random(7, 3, 4000).Build()
	if err != nil {
		b.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		b.Fatal(err)
	}
	var out []layerfs.Layer
	var total int64
	for _, l := range ls {
		rc, err := l.Compressed()
		if err != nil {
			b.Fatal(err)
		}
		blob, err := io.ReadAll(rc)
		if err != nil {
			b.Fatal(err)
		}
		u, _ := l.Uncompressed()
		n, _ := io.Copy(io.Discard, u)
		total += n
		d, _ := l.Digest()
		diff, _ := l.DiffID()
		out = append(out, layerfs.Layer{Digest: d, DiffID: diff, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(blob)), nil
		}})
	}
	return out, total
}

// BenchmarkWalk measures one pass over every layer; SetBytes is the uncompressed
// size, so MB/s compares with the inflater's own speed.
func BenchmarkWalk(b *testing.B) {
	layers, total := benchLayers(b)
	for _, bc := range []struct {
		name string
		o    layerfs.Options
	}{
		{"index", layerfs.Options{}},
		{"digests", layerfs.Options{Digests: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(total)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := layerfs.Walk(context.Background(), layers, bc.o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
