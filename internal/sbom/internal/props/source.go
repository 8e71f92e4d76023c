package props

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// FromSource lists the properties of the document's source, its layers and
// the cataloging warnings.
func FromSource(s *sbom.SBOM) List {
	var l List
	l.Add(SchemaVersion, sbom.SchemaVersion)
	src := s.Source
	l.Add(SourceReference, src.Reference)
	l.Add(SourceKind, src.Kind)
	l.Add(SourceManifestDigest, src.ManifestDigest)
	l.Add(SourceConfigDigest, src.ConfigDigest)
	for _, d := range src.RepoDigests {
		l.Add(SourceRepoDigest, d)
	}
	for _, t := range src.Tags {
		l.Add(SourceTag, t)
	}
	l.Add(SourcePlatform, src.Platform)
	l.Add(SourceScope, src.Scope)
	for _, ly := range src.Layers {
		l.Addf(LayerDigest, ly.Index, ly.Digest)
		l.Addf(LayerDiffID, ly.Index, ly.DiffID)
		l.Addf(LayerSize, ly.Index, strconv.FormatInt(ly.Size, 10))
		l.Addf(LayerMediaType, ly.Index, ly.MediaType)
		l.Addf(LayerCreatedBy, ly.Index, ly.CreatedBy)
	}
	for _, w := range s.Warnings {
		b, _ := json.Marshal(w) // three strings: cannot fail
		l.Add(Warning, string(b))
	}
	return l
}

// ApplySource sets the document's source, layers and warnings from plimsoll
// properties and reports whether any was plimsoll's.
func ApplySource(s *sbom.SBOM, l List) (bool, error) {
	found := false
	layers := map[int]*sbom.Layer{}
	layer := func(i int) *sbom.Layer {
		if layers[i] == nil {
			layers[i] = &sbom.Layer{Index: i}
		}
		return layers[i]
	}
	var firstErr error
	src := &s.Source
	for _, pr := range l {
		var err error
		switch pr.Name {
		case SchemaVersion:
		case SourceReference:
			src.Reference = pr.Value
		case SourceKind:
			src.Kind = pr.Value
		case SourceManifestDigest:
			src.ManifestDigest = pr.Value
		case SourceConfigDigest:
			src.ConfigDigest = pr.Value
		case SourceRepoDigest:
			src.RepoDigests = append(src.RepoDigests, pr.Value)
		case SourceTag:
			src.Tags = append(src.Tags, pr.Value)
		case SourcePlatform:
			src.Platform = pr.Value
		case SourceScope:
			src.Scope = pr.Value
		case Warning:
			var w sbom.Warning
			if err = json.Unmarshal([]byte(pr.Value), &w); err == nil {
				s.Warnings = append(s.Warnings, w)
			}
		default:
			if !applyLayer(layer, pr, &err) {
				continue
			}
		}
		found = true
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("property %s: %w", pr.Name, err)
		}
	}
	if len(layers) > 0 {
		src.Layers = src.Layers[:0]
		for _, ly := range layers {
			src.Layers = append(src.Layers, *ly)
		}
		slices.SortFunc(src.Layers, func(a, b sbom.Layer) int { return a.Index - b.Index })
	}
	return found, firstErr
}

func applyLayer(layer func(int) *sbom.Layer, pr Property, err *error) bool {
	if i, ok := Split(LayerDigest, pr.Name); ok {
		layer(i).Digest = pr.Value
	} else if i, ok := Split(LayerDiffID, pr.Name); ok {
		layer(i).DiffID = pr.Value
	} else if i, ok := Split(LayerSize, pr.Name); ok {
		layer(i).Size, *err = strconv.ParseInt(pr.Value, 10, 64)
	} else if i, ok := Split(LayerMediaType, pr.Name); ok {
		layer(i).MediaType = pr.Value
	} else if i, ok := Split(LayerCreatedBy, pr.Name); ok {
		layer(i).CreatedBy = pr.Value
	} else {
		return false
	}
	return true
}

// FromDistro lists the distribution's properties that the formats have no
// field for.
func FromDistro(d *sbom.Distro) List {
	var l List
	l.Add(DistroID, d.ID)
	l.Add(DistroCodename, d.Codename)
	for _, s := range d.IDLike {
		l.Add(DistroIDLike, s)
	}
	l.Add(DistroSource, d.Source)
	return l
}

// ApplyDistro sets the distribution's fields from plimsoll properties.
func ApplyDistro(d *sbom.Distro, l List) {
	for _, pr := range l {
		switch pr.Name {
		case DistroID:
			d.ID = pr.Value
		case DistroCodename:
			d.Codename = pr.Value
		case DistroIDLike:
			d.IDLike = append(d.IDLike, pr.Value)
		case DistroSource:
			d.Source = pr.Value
		}
	}
}
