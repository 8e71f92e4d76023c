package layerfs

import "sync"

// At returns the image as it stood after layer n: the squashed view of layers 0
// through n, as a container started from that layer would see it. The view shares
// this index's entries and held contents (the walk held every layer's requested
// contents, not only the visible ones), so it costs one map of its visible paths
// and reads nothing again. Lookup, ReadFile, Resolve, Squashed, AllLayers and
// LayerContent answer for that image; Layers and Warnings are the whole walk's.
// With n at or past the top layer it returns f itself.
func (f *FS) At(n int) *FS {
	if n >= len(f.layers)-1 {
		return f
	}
	n = max(n, -1)
	v := &FS{layers: f.layers[:n+1], summary: f.summary, warnings: f.warnings}
	v.squash()
	return v
}

// ShadowedBy returns the first layer above layer that deletes or replaces the
// entry that layer wrote at p: a later entry at the same path, a whiteout of it or
// of a parent, an opaque parent, or a parent replaced by a non-directory. It
// returns -1 when the entry is still there in the final image, or when layer wrote
// nothing at p.
func (f *FS) ShadowedBy(layer int, p string) int {
	if layer < 0 || layer >= len(f.layers) {
		return -1
	}
	f.shadowOnce.Do(f.indexLayers)
	if _, ok := f.byLayer[layer].entries[p]; !ok {
		return -1
	}
	for li := layer + 1; li < len(f.layers); li++ {
		if f.byLayer[li].deletes(p) {
			return li
		}
	}
	return -1
}

// layerPaths indexes what one layer writes and deletes, for ShadowedBy.
type layerPaths struct {
	entries   map[string]Type
	whiteouts map[string]struct{}
	opaques   map[string]struct{}
}

func (f *FS) indexLayers() {
	f.byLayer = make([]layerPaths, len(f.layers))
	for li, d := range f.layers {
		lp := layerPaths{entries: make(map[string]Type, len(d.files)), whiteouts: map[string]struct{}{}, opaques: map[string]struct{}{}}
		for pos := range d.files {
			lp.entries[d.files[pos].Path] = d.files[pos].Type
		}
		for _, p := range d.whiteouts {
			lp.whiteouts[p] = struct{}{}
		}
		for _, p := range d.opaques {
			lp.opaques[p] = struct{}{}
		}
		f.byLayer[li] = lp
	}
}

// deletes reports whether this layer, laid over lower ones, hides the lower entry
// at p.
func (lp *layerPaths) deletes(p string) bool {
	if _, ok := lp.entries[p]; ok {
		return true
	}
	if _, ok := lp.whiteouts[p]; ok {
		return true
	}
	if _, ok := lp.opaques["/"]; ok {
		return true
	}
	return parentDirs(p, func(dir string) bool {
		if _, ok := lp.whiteouts[dir]; ok {
			return true
		}
		if _, ok := lp.opaques[dir]; ok {
			return true
		}
		t, ok := lp.entries[dir]
		return ok && t != Dir
	})
}

// shadowIndex is the lazily built per-layer index behind ShadowedBy.
type shadowIndex struct {
	shadowOnce sync.Once
	byLayer    []layerPaths
}
