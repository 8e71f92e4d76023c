package imagetest

import (
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Tiny builds a one-layer image for platform linux/arch holding the file f with
// content, so tests can make images that differ only by that content.
func Tiny(t testing.TB, arch, content string) v1.Image {
	t.Helper()
	img, err := Image{
		Platform: v1.Platform{OS: "linux", Architecture: arch},
		Layers:   []Layer{{Entries: []Entry{File("f", content)}}},
	}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Digest returns the digest of an image, index or layer as "sha256:…".
func Digest(t testing.TB, d interface{ Digest() (v1.Hash, error) }) string {
	t.Helper()
	h, err := d.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}
