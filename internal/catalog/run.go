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
// Requests of the same catalogers), its layers and its distribution.
type Target struct {
	FS     *layerfs.FS
	Layers []sbom.Layer
	Distro *sbom.Distro
}

// Run runs every cataloger over the target, in order, and assembles the SBOM
// (without its Source, which the caller knows). A cataloger that fails is a
// warning; only a cancelled context stops the run.
func Run(ctx context.Context, t Target, cs []Cataloger, log *slog.Logger) (*sbom.SBOM, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	out := &sbom.SBOM{Schema: sbom.SchemaVersion, Distro: t.Distro}
	visible := regularFiles(t.FS)
	hist := newHistory(t.FS)
	byID := map[string]int{}
	for _, c := range cs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		in := &Input{FS: t.FS, Distro: t.Distro, Layers: t.Layers, history: hist, name: c.Name()}
		reqs := c.Requests()
		for _, f := range visible {
			if matches(reqs, f) {
				in.files = append(in.files, f)
			}
		}
		pkgs, rels, err := c.Catalog(ctx, in)
		out.Warnings = append(out.Warnings, in.warnings...)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("catalog %s: %w", c.Name(), err)
			}
			log.Warn("cataloger failed", slog.String("cataloger", c.Name()), slog.Any("error", err))
			out.Warnings = append(out.Warnings, sbom.Warning{Cataloger: c.Name(), Message: err.Error()})
			continue
		}
		log.Debug("cataloged", slog.String("cataloger", c.Name()), slog.Int("packages", len(pkgs)))
		for _, p := range pkgs {
			p.Cataloger = c.Name()
			if p.ID == "" {
				p.ComputeID()
			}
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
	out.Sort()
	return out, nil
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
