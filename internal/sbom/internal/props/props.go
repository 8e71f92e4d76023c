// Package props writes the facts of the SBOM model that CycloneDX and SPDX have
// no field for as name/value properties in the "plimsoll:" namespace, and reads
// them back. CycloneDX carries them as component properties, SPDX as the lines
// of one annotation per element. docs/sbom-formats.md lists every name.
package props

import (
	"strconv"
	"strings"
)

// Prefix starts every property name plimsoll writes.
const Prefix = "plimsoll:"

// The property names. Indexed names carry a number in place of %d.
const (
	PackageID           = "plimsoll:package:id"
	PackageType         = "plimsoll:package:type"
	PackageCataloger    = "plimsoll:package:cataloger"
	PackageDev          = "plimsoll:package:dev"
	PackageLayer        = "plimsoll:package:layer"       // index of the layer that introduced it
	PackageLayerDiffID  = "plimsoll:package:layerDiffID" // that layer's diffID
	PackageMetadataType = "plimsoll:package:metadataType"
	PackageMetadata     = "plimsoll:package:metadata"  // the metadata as compact JSON
	PackageSquashed     = "plimsoll:package:squashed"  // all-layers scope: "true" or "false"
	PackageRemovedBy    = "plimsoll:package:removedBy" // the layer that removed it

	// Location i of a package (0 is the primary one).
	LocationPath   = "plimsoll:location:%d:path"
	LocationLayer  = "plimsoll:location:%d:layer"
	LocationDiffID = "plimsoll:location:%d:diffID"

	SourceReference      = "plimsoll:source:reference"
	SourceKind           = "plimsoll:source:kind"
	SourceManifestDigest = "plimsoll:source:manifestDigest"
	SourceConfigDigest   = "plimsoll:source:configDigest"
	SourceRepoDigest     = "plimsoll:source:repoDigest" // repeated
	SourceTag            = "plimsoll:source:tag"        // repeated
	SourcePlatform       = "plimsoll:source:platform"
	SourceScope          = "plimsoll:source:scope" // "all-layers"; absent when squashed

	// Layer i of the image.
	LayerDigest    = "plimsoll:layer:%d:digest"
	LayerDiffID    = "plimsoll:layer:%d:diffID"
	LayerSize      = "plimsoll:layer:%d:size"
	LayerMediaType = "plimsoll:layer:%d:mediaType"
	LayerCreatedBy = "plimsoll:layer:%d:createdBy"

	DistroID       = "plimsoll:distro:id"
	DistroCodename = "plimsoll:distro:codename"
	DistroIDLike   = "plimsoll:distro:idLike" // repeated
	DistroSource   = "plimsoll:distro:source"

	SchemaVersion = "plimsoll:sbom:schema"
	Warning       = "plimsoll:warning" // repeated: cataloger, path and message as compact JSON
)

// MaxIndex bounds the indexes read back from indexed names, so that a hostile
// document cannot make the reader allocate for a billion locations.
const MaxIndex = 1 << 16

// Property is one name and value.
type Property struct {
	Name  string
	Value string
}

// List accumulates properties, skipping empty values.
type List []Property

// Add appends name=value unless value is empty.
func (l *List) Add(name, value string) {
	if value != "" {
		*l = append(*l, Property{name, value})
	}
}

// Addf appends the indexed name with i substituted, unless value is empty.
func (l *List) Addf(format string, i int, value string) {
	l.Add(strings.Replace(format, "%d", strconv.Itoa(i), 1), value)
}

// Split parses an indexed name against the format: for "plimsoll:location:%d:path"
// and "plimsoll:location:3:path" it returns 3 and true. Indexes outside
// [0, MaxIndex) do not match.
func Split(format, name string) (int, bool) {
	before, after, _ := strings.Cut(format, "%d")
	rest, ok := strings.CutPrefix(name, before)
	if !ok {
		return 0, false
	}
	num, ok := strings.CutSuffix(rest, after)
	if !ok || num == "" || len(num) > 6 {
		return 0, false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= MaxIndex || strconv.Itoa(i) != num {
		return 0, false
	}
	return i, true
}
