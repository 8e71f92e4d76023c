package imagetest

import (
	"archive/tar"
	"errors"
	"io"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestRandomDeterministic(t *testing.T) {
	a := digestOf(t, mustBuild(t, Random(1, 3, 50)))
	b := digestOf(t, mustBuild(t, Random(1, 3, 50)))
	c := digestOf(t, mustBuild(t, Random(2, 3, 50)))
	if a != b {
		t.Errorf("same seed built %s and %s", a, b)
	}
	if a == c {
		t.Error("different seeds built the same image")
	}
}

func TestRandomShape(t *testing.T) {
	im := Random(7, 4, 200)
	if len(im.Layers) != 4 {
		t.Fatalf("%d layers, want 4", len(im.Layers))
	}
	count := map[byte]int{}
	whiteouts, seen := 0, map[string]bool{}
	for i, l := range im.Layers {
		files := 0
		for _, e := range l.Entries {
			count[e.Type]++
			base := e.Path[strings.LastIndex(e.Path, "/")+1:]
			switch {
			case base == OpaqueMarker:
			case strings.HasPrefix(base, WhiteoutPrefix):
				whiteouts++
				target := strings.TrimSuffix(e.Path, base) + strings.TrimPrefix(base, WhiteoutPrefix)
				if !seen[target] {
					t.Errorf("layer %d whites out %q, which no earlier layer created", i, target)
				}
			case e.Type != tar.TypeDir:
				files++
				seen[e.Path] = true
			}
		}
		if i > 0 && files != 200 {
			t.Errorf("layer %d has %d file-like entries, want 200", i, files)
		}
	}
	for _, typ := range []byte{tar.TypeReg, tar.TypeDir, tar.TypeSymlink, tar.TypeLink} {
		if count[typ] == 0 {
			t.Errorf("no entries of type %q", typ)
		}
	}
	if whiteouts == 0 {
		t.Error("no whiteouts")
	}
}

// countEntries counts the entries of l's tar and fails on a read error.
func countEntries(t *testing.T, l v1.Layer) (files, dirs int) {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, dirs
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeDir {
			dirs++
		} else {
			files++
		}
	}
}

func TestLargeEmptyFiles(t *testing.T) {
	tests := []struct {
		n, wantDirs int
	}{
		{0, 1},
		{1, 2},
		{1000, 2},
		{2500, 4},
	}
	for _, tc := range tests {
		layers, err := mustBuild(t, Image{Layers: []Layer{LargeEmptyFiles(tc.n)}}).Layers()
		if err != nil {
			t.Fatal(err)
		}
		files, dirs := countEntries(t, layers[0])
		if files != tc.n || dirs != tc.wantDirs {
			t.Errorf("LargeEmptyFiles(%d): %d files, %d dirs; want %d, %d", tc.n, files, dirs, tc.n, tc.wantDirs)
		}
	}
}

// BenchmarkLargeEmptyFilesMillion builds the million-empty-files layer:
// go test -run '^$' -bench LargeEmptyFilesMillion -benchmem ./internal/imagetest/
func BenchmarkLargeEmptyFilesMillion(b *testing.B) {
	for b.Loop() {
		img, err := Image{Layers: []Layer{LargeEmptyFiles(1_000_000)}}.Build()
		if err != nil {
			b.Fatal(err)
		}
		size, _ := img.Size()
		if size == 0 {
			b.Fatal("empty manifest")
		}
	}
}

func TestRandomRoundTrip(t *testing.T) {
	items := []Tagged{{Tag: "random", Image: mustBuild(t, Random(3, 3, 40))}}
	dir := t.TempDir()
	if err := WriteOCILayout(dir, items...); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, dir, items)
}
