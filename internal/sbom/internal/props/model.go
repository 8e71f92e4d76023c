package props

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// FromPackage lists the properties of a package. layers, the image's layers,
// give the diffID of the layer that introduced it.
func FromPackage(p sbom.Package, layers []sbom.Layer) (List, error) {
	var l List
	l.Add(PackageID, p.ID)
	l.Add(PackageType, string(p.Type))
	l.Add(PackageCataloger, p.Cataloger)
	if p.Dev {
		l.Add(PackageDev, "true")
	}
	l.Add(PackageLayer, strconv.Itoa(p.IntroducedBy))
	for _, ly := range layers {
		if ly.Index == p.IntroducedBy {
			l.Add(PackageLayerDiffID, ly.DiffID)
		}
	}
	if p.Squashed != nil {
		l.Add(PackageSquashed, strconv.FormatBool(*p.Squashed))
	}
	if p.RemovedBy > 0 {
		l.Add(PackageRemovedBy, strconv.Itoa(p.RemovedBy))
	}
	for i, loc := range p.Locations {
		l.Addf(LocationPath, i, loc.Path)
		l.Addf(LocationLayer, i, strconv.Itoa(loc.Layer))
		l.Addf(LocationDiffID, i, loc.DiffID)
	}
	if p.Metadata != nil {
		b, err := json.Marshal(p.Metadata)
		if err != nil {
			return nil, fmt.Errorf("package %s: metadata: %w", p.ID, err)
		}
		l.Add(PackageMetadataType, p.Metadata.MetadataType())
		if string(b) != "{}" {
			l.Add(PackageMetadata, string(b))
		}
	}
	return l, nil
}

// ApplyPackage sets the package's fields from plimsoll properties, ignoring
// names it does not know. It reports whether any property was plimsoll's, and
// returns an error, naming the property, for a value it cannot read; the
// fields read before it stay set.
func ApplyPackage(p *sbom.Package, l List) (bool, error) {
	found := false
	locs := map[int]*sbom.Location{}
	loc := func(i int) *sbom.Location {
		if locs[i] == nil {
			locs[i] = &sbom.Location{}
		}
		return locs[i]
	}
	var metaType, meta string
	var firstErr error
	for _, pr := range l {
		var err error
		switch pr.Name {
		case PackageID:
			p.ID = pr.Value
		case PackageType:
			p.Type = sbom.Type(pr.Value)
		case PackageCataloger:
			p.Cataloger = pr.Value
		case PackageDev:
			p.Dev = pr.Value == "true"
		case PackageLayer:
			p.IntroducedBy, err = index(pr.Value)
		case PackageMetadataType:
			metaType = pr.Value
		case PackageMetadata:
			meta = pr.Value
		case PackageSquashed:
			var b bool
			b, err = strconv.ParseBool(pr.Value)
			p.Squashed = &b
		case PackageRemovedBy:
			p.RemovedBy, err = index(pr.Value)
		case PackageLayerDiffID:
		default:
			if i, ok := Split(LocationPath, pr.Name); ok {
				loc(i).Path = pr.Value
			} else if i, ok := Split(LocationLayer, pr.Name); ok {
				loc(i).Layer, err = index(pr.Value)
			} else if i, ok := Split(LocationDiffID, pr.Name); ok {
				loc(i).DiffID = pr.Value
			} else {
				continue
			}
		}
		found = true
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("property %s: %w", pr.Name, err)
		}
	}
	if len(locs) > 0 {
		p.Locations = collect(locs)
	}
	if metaType != "" {
		m, err := metadata(metaType, meta)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("property %s: %w", PackageMetadata, err)
		}
		p.Metadata = m
	}
	return found, firstErr
}

// metadata decodes typed metadata through the model's own JSON decoder.
func metadata(typ, value string) (sbom.Metadata, error) {
	if value == "" {
		value = "{}"
	}
	wire, err := json.Marshal(struct {
		MetadataType string          `json:"metadataType"`
		Metadata     json.RawMessage `json:"metadata"`
	}{typ, json.RawMessage(value)})
	if err != nil {
		return nil, err
	}
	var p sbom.Package
	dec := json.NewDecoder(bytes.NewReader(wire))
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	return p.Metadata, nil
}

func collect(m map[int]*sbom.Location) []sbom.Location {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]sbom.Location, 0, len(keys))
	for _, k := range keys {
		if m[k].Path != "" {
			out = append(out, *m[k])
		}
	}
	return out
}

// index reads a layer index.
func index(s string) (int, error) {
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= MaxIndex {
		return 0, fmt.Errorf("layer index %q is not a number in [0, %d)", s, MaxIndex)
	}
	return i, nil
}
