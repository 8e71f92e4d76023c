package layerfs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path"
	"testing"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// FuzzWalk feeds arbitrary bytes as the top layer over a fixed base layer: the walk
// must not panic, and whatever it accepts must be a well-formed index.
func FuzzWalk(f *testing.F) {
	F, D, S, W, O, H := imagetest.File, imagetest.Dir, imagetest.Symlink, imagetest.Whiteout, imagetest.Opaque, imagetest.Hardlink
	seeds := [][]imagetest.Entry{
		{D("etc"), F("etc/os-release", "ID=x"), S("lib", "usr/lib"), H("etc/h", "etc/os-release")},
		{W("etc/passwd"), O("usr"), F("usr/x", "y")},
		{F("../escape", "x")},
		{S("a", "b"), S("b", "a"), F("/abs/file", "z")},
		{F(".wh..wh.plnk/1", ""), F("d/.wh.", "")},
	}
	for _, s := range seeds {
		f.Add(imagetest.Tar(s...))
	}
	f.Add(gzipBytes(f, imagetest.Tar(seeds[0]...)))
	f.Add(zstdBytes(f, imagetest.Tar(seeds[1]...)))
	base := imagetest.Tar(D("etc"), F("etc/passwd", "root"), D("usr"), F("usr/lib/os-release", "ID=y"), S("etc/os-release", "../usr/lib/os-release"))
	f.Fuzz(func(t *testing.T, top []byte) {
		layers := []layerfs.Layer{
			{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(base)), nil }},
			{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(top)), nil }},
		}
		o := layerfs.Options{Digests: true, MaxFileSize: 1 << 16, Requests: []layerfs.Request{{BaseNames: []string{"os-release", "passwd"}}}}
		fsys, err := layerfs.Walk(context.Background(), layers, o)
		if err != nil {
			var le *layerfs.LayerError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LayerError", err)
			}
			return
		}
		for _, file := range fsys.Squashed() {
			if file.Path == "/" || path.Clean(file.Path) != file.Path || file.Path[0] != '/' {
				t.Fatalf("unclean path %q in the index", file.Path)
			}
			if _, err := fsys.Resolve(file.Path); err != nil && !errors.Is(err, layerfs.ErrSymlinkLoop) {
				t.Fatalf("Resolve(%s): %v", file.Path, err)
			}
		}
		_, _ = fsys.ReadFile("/etc/os-release")
		_ = fsys.AllLayers()
	})
}
