package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// allLayers adds to out, the squashed catalogue, the packages that earlier
// layers held and later layers deleted or replaced, and marks every package
// with whether the final image holds it.
//
// A layer is revisited when it wrote an evidence file the final image no longer
// shows (deleted by a whiteout, an opaque directory or a non-directory over a
// parent, or replaced by a later entry at the same path). Each cataloger that
// wants such a file runs again over the image as it stood after that layer
// (layerfs.FS.At), given every visible file it wants there, so it sees the
// context it would have seen had the image ended at that layer: a lockfile and
// its node_modules, a dpkg status file and its file lists. A layer whose
// evidence the final image still shows is not revisited: what it says, the
// squashed catalogue already says.
//
// A package found there whose ID (type, name, version and primary path) is one
// of the final image's is that package and is not added again. Any other is
// added once however many layers held it: primary location and IntroducedBy
// from the earliest layer that held it, the locations of the later copies
// after it, Squashed false and RemovedBy the layer that deleted or replaced its
// evidence for good. Its relationships come along; its files are not listed
// in the document's files, which describe the final image.
func allLayers(ctx context.Context, t Target, cs []Cataloger, hist *history, out *sbom.SBOM, log *slog.Logger) error {
	set := &removedSet{final: make(map[string]bool, len(out.Packages)), index: map[string]int{}}
	for i := range out.Packages {
		set.final[out.Packages[i].ID] = true
		out.Packages[i].Squashed = ptr(true)
	}
	for li, files := range shadowedFiles(t.FS) {
		var view *layerfs.FS
		var visible []*layerfs.File
		for _, c := range cs {
			reqs := c.Requests()
			if !slices.ContainsFunc(files, func(f *layerfs.File) bool { return matches(reqs, f) }) {
				continue
			}
			if view == nil { // built once per revisited layer, dropped after it
				view = t.FS.At(li)
				visible = regularFiles(view)
			}
			in := &Input{FS: view, Distro: t.Distro, Layers: t.Layers, history: hist.upTo(li), name: c.Name()}
			in.files = wanted(reqs, visible)
			pkgs, rels, err := catalogOne(ctx, c, in, log)
			out.Warnings = append(out.Warnings, layerWarnings(t.FS, view, li, in.warnings)...)
			if err != nil {
				return err
			}
			set.add(pkgs, rels)
		}
	}
	for i := range set.pkgs {
		p := &set.pkgs[i]
		p.Squashed = ptr(false)
		if len(p.Locations) > 0 {
			p.RemovedBy = removedBy(t.FS, p.Locations)
		}
	}
	// Language packages of earlier layers are linked to the OS packages that
	// installed their files; the final image's links stay as they were.
	all := append(slices.Clone(out.Packages), set.pkgs...)
	allRels := append(slices.Clone(out.Relationships), set.rels...)
	for _, r := range ownership(all, allRels) {
		if _, ok := set.index[r.To]; ok {
			set.rels = append(set.rels, r)
		}
	}
	out.Packages = append(out.Packages, set.pkgs...)
	out.Relationships = append(out.Relationships, set.rels...)
	return nil
}

// removedSet gathers the packages the final image does not hold, once each.
type removedSet struct {
	final map[string]bool // IDs of the final image's packages
	pkgs  []sbom.Package
	rels  []sbom.Relationship
	index map[string]int // package ID → position in pkgs
}

// add records what one cataloger found in the image after some layer: packages
// not in the final image, merged with the same package found after an earlier
// layer, and their relationships.
func (s *removedSet) add(pkgs []sbom.Package, rels []sbom.Relationship) {
	added := map[string]bool{}
	for _, p := range pkgs {
		if s.final[p.ID] {
			continue
		}
		added[p.ID] = true
		i, seen := s.index[p.ID]
		if !seen {
			s.index[p.ID] = len(s.pkgs)
			s.pkgs = append(s.pkgs, p)
			continue
		}
		q := &s.pkgs[i]
		q.IntroducedBy = min(q.IntroducedBy, p.IntroducedBy)
		for _, l := range p.Locations {
			if !slices.Contains(q.Locations, l) {
				q.Locations = append(q.Locations, l)
			}
		}
	}
	for _, r := range rels {
		if added[r.From] || added[r.To] {
			s.rels = append(s.rels, r)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// shadowedFiles returns, for each layer, the regular files it wrote that the
// final image does not show.
func shadowedFiles(fsys *layerfs.FS) [][]*layerfs.File {
	out := make([][]*layerfs.File, len(fsys.Layers()))
	for _, e := range fsys.AllLayers() {
		if !e.Visible && e.Type == layerfs.Regular && e.Layer < len(out) {
			out[e.Layer] = append(out[e.Layer], e.File)
		}
	}
	return out
}

// removedBy returns the layer that deleted or replaced for good the primary
// evidence file of a package the final image does not hold: the layer that
// shadows the last copy of that file whose image held the package (every such
// copy is one of its locations, so a package removed, reinstalled and removed
// again is removed by the last removal). It is 0 when that copy outlives the
// package (the package went with a change to another file).
func removedBy(fsys *layerfs.FS, locs []sbom.Location) int {
	last := locs[0].Layer
	for _, l := range locs[1:] {
		if l.Path == locs[0].Path {
			last = max(last, l.Layer)
		}
	}
	return max(fsys.ShadowedBy(last, locs[0].Path), 0)
}

// layerWarnings keeps the warnings of a run over the image after layer li that
// are about files the final image does not show, naming the layer; the others
// the squashed run has already given.
func layerWarnings(final, view *layerfs.FS, li int, ws []sbom.Warning) []sbom.Warning {
	var out []sbom.Warning
	for _, w := range ws {
		if w.Path == "" {
			w.Message = fmt.Sprintf("image after layer %d: %s", li, w.Message)
			out = append(out, w)
			continue
		}
		vf, ok := view.Lookup(w.Path)
		if !ok {
			continue
		}
		if ff, ok := final.Lookup(w.Path); ok && ff == vf {
			continue
		}
		w.Message = fmt.Sprintf("%s (layer %d; not in the final image)", w.Message, vf.Layer)
		out = append(out, w)
	}
	return out
}
