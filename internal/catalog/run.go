package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Target is the image to catalog: the file index of the one walk (made with
// Requests of the same catalogers), its layers and its distribution, and which
// of its files to catalog (the zero Scope is Squashed).
type Target struct {
	FS     *layerfs.FS
	Layers []sbom.Layer
	Distro *sbom.Distro
	Scope  Scope
}

// Run runs every cataloger over the target, in order, and assembles the SBOM
// (without its Source, which the caller knows). A cataloger that fails is a
// warning; only a cancelled context stops the run. With Scope AllLayers the
// packages of the final image are exactly those of the squashed scope, marked
// Squashed, and the packages earlier layers held and later layers removed are
// added (see allLayers).
func Run(ctx context.Context, t Target, cs []Cataloger, log *slog.Logger) (*sbom.SBOM, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	out := &sbom.SBOM{Schema: sbom.SchemaVersion, Distro: t.Distro}
	visible := regularFiles(t.FS)
	hist := newHistory(t.FS)
	byID := map[string]int{}
	for _, c := range cs {
		in := &Input{FS: t.FS, Distro: t.Distro, Layers: t.Layers, history: hist, name: c.Name()}
		in.files = wanted(c.Requests(), visible)
		pkgs, rels, err := catalogOne(ctx, c, in, log)
		out.Warnings = append(out.Warnings, in.warnings...)
		if err != nil {
			return nil, err
		}
		for _, p := range pkgs {
			if i, dup := byID[p.ID]; dup {
				out.Packages[i].Locations = append(out.Packages[i].Locations, p.Locations...)
				continue
			}
			byID[p.ID] = len(out.Packages)
			out.Packages = append(out.Packages, p)
		}
		out.Relationships = append(out.Relationships, rels...)
	}
	out.Files = ownedFiles(t, out.Relationships)
	out.Relationships = append(out.Relationships, ownership(out.Packages, out.Relationships)...)
	if t.Scope == AllLayers {
		if err := allLayers(ctx, t, cs, hist, out, log); err != nil {
			return nil, err
		}
	}
	out.Sort()
	return out, nil
}

// catalogOne runs one cataloger and names its packages. A failure is recorded
// in in's warnings and gives no packages; only a cancelled context is an error.
func catalogOne(ctx context.Context, c Cataloger, in *Input, log *slog.Logger) ([]sbom.Package, []sbom.Relationship, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("catalog: %w", err)
	}
	pkgs, rels, err := c.Catalog(ctx, in)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("catalog %s: %w", c.Name(), err)
		}
		log.Warn("cataloger failed", slog.String("cataloger", c.Name()), slog.Any("error", err))
		in.warnings = append(in.warnings, sbom.Warning{Cataloger: c.Name(), Message: err.Error()})
		return nil, nil, nil
	}
	log.Debug("cataloged", slog.String("cataloger", c.Name()), slog.Int("packages", len(pkgs)))
	for i := range pkgs {
		pkgs[i].Cataloger = c.Name()
		if pkgs[i].ID == "" {
			pkgs[i].ComputeID()
		}
	}
	return pkgs, rels, nil
}

// wanted returns the files some request matches.
func wanted(reqs []layerfs.Request, files []*layerfs.File) []*layerfs.File {
	var out []*layerfs.File
	for _, f := range files {
		if matches(reqs, f) {
			out = append(out, f)
		}
	}
	return out
}

func regularFiles(fsys *layerfs.FS) []*layerfs.File {
	all := fsys.Squashed()
	out := all[:0:0]
	for _, f := range all {
		if f.Type == layerfs.Regular {
			out = append(out, f)
		}
	}
	return out
}

// ownedFiles lists each file a package contains, as the final image shows it.
func ownedFiles(t Target, rels []sbom.Relationship) []sbom.File {
	seen := map[string]bool{}
	var out []sbom.File
	for _, r := range rels {
		if r.Type != sbom.Contains || seen[r.To] {
			continue
		}
		seen[r.To] = true
		f, ok := t.FS.Lookup(r.To)
		if !ok {
			continue
		}
		sf := sbom.File{Path: f.Path, Layer: f.Layer, Digest: f.Digest}
		if f.Layer < len(t.Layers) {
			sf.DiffID = t.Layers[f.Layer].DiffID
		}
		out = append(out, sf)
	}
	return out
}

// ownership links an OS package to each language package whose evidence files it
// contains: Debian's python3-django owns Django's dist-info METADATA.
func ownership(pkgs []sbom.Package, rels []sbom.Relationship) []sbom.Relationship {
	isOS := map[string]bool{}
	for _, p := range pkgs {
		if p.Type.IsOS() {
			isOS[p.ID] = true
		}
	}
	owner := map[string]string{}
	for _, r := range rels {
		if r.Type == sbom.Contains && isOS[r.From] {
			owner[r.To] = r.From
		}
	}
	var out []sbom.Relationship
	for _, p := range pkgs {
		if p.Type.IsOS() {
			continue
		}
		var owners []string
		for _, l := range p.Locations {
			if o, ok := owner[l.Path]; ok && !slices.Contains(owners, o) {
				owners = append(owners, o)
				out = append(out, sbom.Relationship{From: o, To: p.ID, Type: sbom.Owns})
			}
		}
	}
	return out
}
