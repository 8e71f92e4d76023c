package cyclonedx

import (
	"slices"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/props"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/purltype"
)

// The properties syft writes on its CycloneDX components.
const (
	syftType     = "syft:package:type"
	syftFoundBy  = "syft:package:foundBy"
	syftLocPath  = "syft:location:%d:path"
	syftLocLayer = "syft:location:%d:layerID"
)

// applySyft sets the type, cataloger and locations from syft's properties. The
// layer index of a syft location is unknown (syft names the layer by diffID
// only), so it stays 0.
func applySyft(p *sbom.Package, l props.List) {
	locs := map[int]*sbom.Location{}
	loc := func(i int) *sbom.Location {
		if locs[i] == nil {
			locs[i] = &sbom.Location{}
		}
		return locs[i]
	}
	for _, pr := range l {
		switch pr.Name {
		case syftType:
			p.Type = purltype.FromSyft(pr.Value)
		case syftFoundBy:
			p.Cataloger = pr.Value
		default:
			if i, ok := props.Split(syftLocPath, pr.Name); ok {
				loc(i).Path = pr.Value
			} else if i, ok := props.Split(syftLocLayer, pr.Name); ok {
				loc(i).DiffID = pr.Value
			}
		}
	}
	keys := make([]int, 0, len(locs))
	for k := range locs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if locs[k].Path != "" {
			p.Locations = append(p.Locations, *locs[k])
		}
	}
}
