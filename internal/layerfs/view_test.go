package layerfs_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// fourLayers writes /app/a and /app/b and a database file, then deletes /app/a,
// rewrites the database, and finally replaces the /app directory by a file.
func fourLayers(t *testing.T) *layerfs.FS {
	F, W := imagetest.File, imagetest.Whiteout
	return walk(t, layerfs.Options{Requests: []layerfs.Request{{Globs: []string{"/app/*", "/db"}}}},
		tarLayer(F("app/a", "a0"), F("app/b", "b0"), F("db", "v0")),
		tarLayer(W("app/a"), F("db", "v1")),
		tarLayer(F("app/c", "c2")),
		tarLayer(F("app", "now a file")),
	)
}

func TestAt(t *testing.T) {
	fsys := fourLayers(t)
	tests := []struct {
		layer int
		want  []string
	}{
		{-1, nil},
		{0, []string{"/app/a@0", "/app/b@0", "/db@0"}},
		{1, []string{"/app/b@0", "/db@1"}},
		{2, []string{"/app/b@0", "/app/c@2", "/db@1"}},
		{3, []string{"/app@3", "/db@1"}},
		{9, []string{"/app@3", "/db@1"}},
	}
	for _, tc := range tests {
		v := fsys.At(tc.layer)
		if diff := cmp.Diff(tc.want, visible(v)); diff != "" {
			t.Errorf("At(%d) (-want +got):\n%s", tc.layer, diff)
		}
	}
	// A view reads the contents its layers held, including those the final
	// image no longer shows.
	if b, err := fsys.At(0).ReadFile("/app/a"); err != nil || string(b) != "a0" {
		t.Errorf("At(0).ReadFile(/app/a) = %q, %v", b, err)
	}
	if b, err := fsys.At(0).ReadFile("/db"); err != nil || string(b) != "v0" {
		t.Errorf("At(0).ReadFile(/db) = %q, %v", b, err)
	}
	if _, err := fsys.At(1).ReadFile("/app/a"); err == nil {
		t.Error("At(1).ReadFile(/app/a): deleted file read")
	}
	if _, ok := fsys.At(1).LayerContent(2, "/app/c"); ok {
		t.Error("At(1).LayerContent(2, …): a view shows a layer above it")
	}
}

func TestShadowedBy(t *testing.T) {
	fsys := fourLayers(t)
	tests := []struct {
		layer int
		path  string
		want  int
	}{
		{0, "/app/a", 1},  // whiteout
		{0, "/db", 1},     // rewritten
		{1, "/db", -1},    // the final one
		{0, "/app/b", 3},  // its parent replaced by a file
		{2, "/app/c", 3},  // likewise
		{3, "/app", -1},   // the final one
		{1, "/app/b", -1}, // layer 1 wrote nothing there
		{7, "/db", -1},    // no such layer
	}
	for _, tc := range tests {
		if got := fsys.ShadowedBy(tc.layer, tc.path); got != tc.want {
			t.Errorf("ShadowedBy(%d, %s) = %d, want %d", tc.layer, tc.path, got, tc.want)
		}
	}
}

func TestShadowedByOpaque(t *testing.T) {
	F, O := imagetest.File, imagetest.Opaque
	fsys := walk(t, layerfs.Options{},
		tarLayer(F("usr/lib/x", "0"), F("etc/y", "0")),
		tarLayer(O("usr/lib"), F("usr/lib/z", "1")),
		tarLayer(O("/"), F("etc/y", "2")),
	)
	for _, tc := range []struct {
		layer int
		path  string
		want  int
	}{{0, "/usr/lib/x", 1}, {0, "/etc/y", 2}, {1, "/usr/lib/z", 2}, {2, "/etc/y", -1}} {
		if got := fsys.ShadowedBy(tc.layer, tc.path); got != tc.want {
			t.Errorf("ShadowedBy(%d, %s) = %d, want %d", tc.layer, tc.path, got, tc.want)
		}
	}
}
