package bases

import (
	"fmt"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// Index finds approved bases by ChainID. Build it once per catalogue; Detect
// then costs one map lookup per image layer.
type Index struct {
	// full maps the ChainID of a whole base (current or superseded) to the
	// bases with exactly that layer stack.
	full map[string][]Hit
	// prefix maps every ChainID prefix of every base to its layer count.
	prefix map[string]int
}

// Hit is one catalogued base whose whole layer stack an image starts with.
type Hit struct {
	Base *Base `json:"base"`
	// Superseded is the older version matched, or nil when the image is built
	// on the base's current digest.
	Superseded *Superseded `json:"superseded,omitempty"`
}

// Digest is the matched version's manifest digest.
func (h Hit) Digest() string {
	if h.Superseded != nil {
		return h.Superseded.Digest
	}
	return h.Base.Digest
}

// Match is what Detect found.
type Match struct {
	// Layers is how many of the image's lowest layers the nearest approved
	// base accounts for; 0 when the image is built on no approved base.
	Layers  int    `json:"layers"`
	ChainID string `json:"chainID,omitempty"`
	// Hits are the catalogue entries with that exact stack (one base may be
	// approved under several tags or platforms).
	Hits []Hit `json:"hits,omitempty"`
	// Shared is the longest run of lowest layers the image shares with any
	// catalogued stack, whole or not (diagnostic: an image built on an
	// ancestor or a sibling of an approved base shares some layers).
	Shared int `json:"shared"`
	// Scratch is true when the image has no layers below its own, that is no
	// layers at all.
	Scratch bool `json:"scratch,omitempty"`
}

// Found reports whether the image is built on an approved base.
func (m Match) Found() bool { return len(m.Hits) > 0 }

// Current reports whether some hit is a base's current digest.
func (m Match) Current() bool {
	for _, h := range m.Hits {
		if h.Superseded == nil {
			return true
		}
	}
	return false
}

// NewIndex indexes the catalogue. The catalogue must not change while the
// index is used (hits point into it).
func NewIndex(c *Catalog) *Index {
	x := &Index{full: map[string][]Hit{}, prefix: map[string]int{}}
	for i := range c.Bases {
		b := &c.Bases[i]
		x.add(b.ChainIDs, Hit{Base: b})
		for j := range b.Superseded {
			x.add(b.Superseded[j].ChainIDs, Hit{Base: b, Superseded: &b.Superseded[j]})
		}
	}
	return x
}

func (x *Index) add(chain []string, h Hit) {
	if len(chain) == 0 {
		return
	}
	top := chain[len(chain)-1]
	x.full[top] = append(x.full[top], h)
	for i, id := range chain {
		x.prefix[id] = i + 1
	}
}

// Detect returns the nearest approved ancestor of an image with the given
// diffIDs (lowest first): the longest prefix of its layer stack that is a whole
// catalogued base. An image that is itself an approved base matches all its
// layers. Compressed digests play no part, so a recompressed base still matches.
func (x *Index) Detect(diffIDs []string) (Match, error) {
	chain, err := trust.ChainIDs(diffIDs)
	if err != nil {
		return Match{}, fmt.Errorf("detect base: %w", err)
	}
	m := Match{Scratch: len(chain) == 0}
	for i := len(chain) - 1; i >= 0; i-- {
		if m.Shared == 0 {
			if n, ok := x.prefix[chain[i]]; ok && n == i+1 {
				m.Shared = n
			}
		}
		if hits := x.full[chain[i]]; len(hits) > 0 {
			m.Layers, m.ChainID, m.Hits = i+1, chain[i], hits
			if m.Shared < m.Layers {
				m.Shared = m.Layers
			}
			return m, nil
		}
	}
	return m, nil
}
