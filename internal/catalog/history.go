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
}

func newHistory(fsys *layerfs.FS) *history {
	h := &history{byPath: map[string][]Version{}}
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
	return vs
}

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
