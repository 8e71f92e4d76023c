package catalog

import "github.com/plimsoll/plimsoll/internal/layerfs"

// Version is one layer's version of an evidence file.
type Version struct {
	Layer   int
	Content []byte // nil when not held
}

// history indexes, for each path that some layer's content was held for, every
// layer's entry at that path.
type history struct {
	byPath map[string][]Version
	top    int // the highest layer shown; -1 for every layer
}

func newHistory(fsys *layerfs.FS) *history {
	h := &history{byPath: map[string][]Version{}, top: -1}
	for _, e := range fsys.AllLayers() {
		c, held := fsys.LayerContent(e.Layer, e.Path)
		if e.Type != layerfs.Regular {
			held, c = false, nil
		}
		if _, seen := h.byPath[e.Path]; !held && !seen {
			continue
		}
		if c == nil && held {
			c = []byte{} // an empty file is held, and present
		}
		h.byPath[e.Path] = append(h.byPath[e.Path], Version{Layer: e.Layer, Content: c})
	}
	return h
}

func (h *history) versions(p string) []Version {
	vs := h.byPath[p]
	if h.top >= 0 {
		n := 0
		for n < len(vs) && vs[n].Layer <= h.top {
			n++
		}
		vs = vs[:n]
	}
	return vs
}

// upTo is the history of the image as it stood after layer n.
func (h *history) upTo(n int) *history { return &history{byPath: h.byPath, top: n} }

// IntroducedBy returns the layer of the earliest version from which present holds
// for every later version, through the last: the layer from which a package's
// evidence persists to the final image. present is asked about each version from
// the newest back, and not asked about a version whose content was not held. With
// no versions it returns fallback.
//
// A deletion of the file by a layer in between that left no entry of its own
// (a whiteout followed by an identical file later) is not seen: the walk's index
// does not expose whiteouts per path.
func IntroducedBy(vs []Version, fallback int, present func(v Version) bool) int {
	if len(vs) == 0 {
		return fallback
	}
	layer := vs[len(vs)-1].Layer
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		if v.Content == nil || !present(v) {
			break
		}
		layer = v.Layer
	}
	return layer
}

// Introductions serves a database file that describes many packages (a dpkg status
// file, an apk installed database). It returns a function giving the layer that
// introduced the package with a given key: the earliest layer from which every
// version of the file, through the visible one, lists that key. keys lists the
// package keys one version's content holds; it is called at most once per version.
func (in *Input) Introductions(f *layerfs.File, keys func(content []byte) map[string]bool) func(key string) int {
	vs := in.Versions(f.Path)
	cache := make([]map[string]bool, len(vs))
	pos := map[int]int{}
	for i, v := range vs {
		pos[v.Layer] = i
	}
	return func(key string) int {
		return IntroducedBy(vs, f.Layer, func(v Version) bool {
			i := pos[v.Layer]
			if cache[i] == nil {
				cache[i] = keys(v.Content)
				if cache[i] == nil {
					cache[i] = map[string]bool{}
				}
			}
			return cache[i][key]
		})
	}
}
