package syftjson

import "github.com/plimsoll/plimsoll/internal/sbom"

// files keeps the files that packages contain, with their layer and sha256.
func (d *decoder) files(fs []file, rels []relationship) {
	owned := map[string]bool{}
	for _, r := range rels {
		if r.Type == "contains" {
			owned[r.Child] = true
		}
	}
	paths := map[string]string{}
	for _, f := range fs {
		if !owned[f.ID] || f.Location.Path == "" {
			continue
		}
		file := sbom.File{Path: f.Location.Path, DiffID: f.Location.LayerID, Layer: d.layers[f.Location.LayerID]}
		for _, dg := range f.Digests {
			if dg.Algorithm == "sha256" {
				file.Digest = "sha256:" + dg.Value
			}
		}
		paths[f.ID] = f.Location.Path
		d.s.Files = append(d.s.Files, file)
	}
	for _, r := range rels {
		from, ok := d.ids[r.Parent]
		if path, isFile := paths[r.Child]; ok && isFile && r.Type == "contains" {
			d.s.Relationships = append(d.s.Relationships, sbom.Relationship{From: from, To: path, Type: sbom.Contains})
		}
	}
}

// relationships turns ownership-by-file-overlap (parent: the OS package) into
// ownership links.
func (d *decoder) relationships(rels []relationship) {
	for _, r := range rels {
		from, okA := d.ids[r.Parent]
		to, okB := d.ids[r.Child]
		if r.Type == "ownership-by-file-overlap" && okA && okB && from != to {
			d.s.Relationships = append(d.s.Relationships, sbom.Relationship{From: from, To: to, Type: sbom.Owns})
		}
	}
}
