// Package cyclonedx writes the SBOM model as CycloneDX 1.6 JSON and reads
// CycloneDX JSON 1.4 to 1.6 back into it, through the CycloneDX project's own Go
// model (github.com/CycloneDX/cyclonedx-go).
//
// The image is metadata.component (type container), its distribution an
// operating-system component, and every package a library component with its
// purl and licenses. What CycloneDX has no field for (the layer that introduced
// a package, its locations, its ecosystem metadata, the image's layers) is kept
// in properties of the "plimsoll:" namespace, which Decode reads back, so
// model → CycloneDX → model keeps every package field. The dependency graph is
// rooted at the image: the image depends on its distribution and every
// package, and an OS package on the language packages it owns. docs/sbom-formats.md
// describes the mapping.
package cyclonedx

import (
	"fmt"
	"io"
	"strconv"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/docid"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/props"
)

// imageRef is the bom-ref of the image component.
const imageRef = "image"

// Encoder writes CycloneDX documents. The zero value is ready to use.
type Encoder struct {
	// Now gives the document's timestamp (the model has none); nil means
	// time.Now. Tests inject a fixed clock.
	Now func() time.Time
	// ToolVersion is plimsoll's version, recorded in metadata.tools.
	ToolVersion string
}

// Encode writes s as CycloneDX 1.6 JSON with the zero Encoder: stamped with
// the current time. It sorts s in place, as sbom.WriteJSON does.
func Encode(w io.Writer, s *sbom.SBOM) error {
	return Encoder{}.Encode(w, s)
}

// Encode writes s as indented CycloneDX 1.6 JSON. The same document and clock
// always give the same bytes: components and dependencies are sorted and the
// serial number is a name-based UUID of the rest of the document, so a
// document decoded and encoded again is the same. It sorts s in place.
func (e Encoder) Encode(w io.Writer, s *sbom.SBOM) error {
	bom, err := e.bom(s)
	if err != nil {
		return fmt.Errorf("encode cyclonedx: %w", err)
	}
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(bom); err != nil {
		return fmt.Errorf("encode cyclonedx: %w", err)
	}
	return nil
}

// BOM builds the CycloneDX document for s without writing it, so a report can add
// to it (scan results add vulnerabilities). Each package's bom-ref is its ID. It
// sorts s in place.
func (e Encoder) BOM(s *sbom.SBOM) (*cdx.BOM, error) { return e.bom(s) }

func (e Encoder) bom(s *sbom.SBOM) (*cdx.BOM, error) {
	s.Sort()
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	version := e.ToolVersion
	if version == "" {
		version = "dev"
	}
	// Built as 1.6 directly: EncodeVersion would deep-copy the BOM through gob.
	bom := &cdx.BOM{
		JSONSchema:  "http://cyclonedx.org/schema/bom-1.6.schema.json",
		BOMFormat:   cdx.BOMFormat,
		SpecVersion: cdx.SpecVersion1_6,
		Version:     1,
	}
	image := imageComponent(s)
	bom.Metadata = &cdx.Metadata{
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "plimsoll", Version: version,
		}}},
		Component: &image,
	}
	components, refs, err := packageComponents(s)
	if err != nil {
		return nil, err
	}
	osRef := ""
	if s.Distro != nil && s.Distro.ID != "" {
		os := distroComponent(s.Distro)
		osRef = os.BOMRef
		components = append([]cdx.Component{os}, components...)
	}
	bom.Components = &components
	deps := dependencies(s, refs, osRef)
	bom.Dependencies = &deps
	// The serial number is a UUID of the content without serial and timestamp.
	hash, err := docid.Hash(bom)
	if err != nil {
		return nil, err
	}
	bom.SerialNumber = "urn:uuid:" + docid.UUID(hash)
	bom.Metadata.Timestamp = now().UTC().Format(time.RFC3339)
	return bom, nil
}

// imageComponent describes the source: name and digest, tags as properties
// and in the purl, layers as properties.
func imageComponent(s *sbom.SBOM) cdx.Component {
	src := s.Source
	im := docid.ParseImage(src.Reference)
	c := cdx.Component{
		BOMRef:  imageRef,
		Type:    cdx.ComponentTypeContainer,
		Name:    im.Repository,
		Version: firstOf(src.ManifestDigest, src.ConfigDigest, im.Digest, im.Tag),
	}
	if c.Name == "" {
		c.Name = src.Reference
	}
	if src.Kind == "dir" {
		c.Type = cdx.ComponentTypeFile // a directory tree, not an image
	}
	if h, ok := hash(src.ManifestDigest); ok {
		c.Hashes = &[]cdx.Hash{h}
	}
	c.PackageURL = imagePURL(src, im)
	c.Properties = properties(props.FromSource(s))
	return c
}

func distroComponent(d *sbom.Distro) cdx.Component {
	c := cdx.Component{
		BOMRef:      "os:" + d.ID + "@" + d.VersionID,
		Type:        cdx.ComponentTypeOS,
		Name:        d.ID,
		Version:     d.VersionID,
		Description: d.PrettyName,
	}
	c.Properties = properties(props.FromDistro(d))
	return c
}

// packageComponents returns a component per package and each package's
// bom-ref, by index: its ID, made unique with a suffix if IDs collide.
func packageComponents(s *sbom.SBOM) ([]cdx.Component, []string, error) {
	out := make([]cdx.Component, 0, len(s.Packages))
	refs := make([]string, len(s.Packages))
	seen := map[string]bool{imageRef: true}
	for i, p := range s.Packages {
		ref := p.ID
		if ref == "" {
			ref = "package"
		}
		for n := 2; seen[ref]; n++ {
			ref = p.ID + "-" + strconv.Itoa(n)
		}
		seen[ref] = true
		refs[i] = ref
		l, err := props.FromPackage(p, s.Source.Layers)
		if err != nil {
			return nil, nil, err
		}
		c := cdx.Component{
			BOMRef:     ref,
			Type:       cdx.ComponentTypeLibrary,
			Name:       p.Name,
			Version:    p.Version,
			PackageURL: p.PURL,
			Licenses:   licenses(p.Licenses),
			Properties: properties(l),
		}
		if p.Dev {
			c.Scope = cdx.ScopeOptional // not needed at run time
		}
		c.Evidence = occurrences(p.Locations)
		out = append(out, c)
	}
	return out, refs, nil
}

func properties(l props.List) *[]cdx.Property {
	if len(l) == 0 {
		return nil
	}
	out := make([]cdx.Property, len(l))
	for i, p := range l {
		out[i] = cdx.Property{Name: p.Name, Value: p.Value}
	}
	return &out
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// occurrences lists the locations as CycloneDX evidence, for readers that do
// not know the plimsoll: properties; the layer is in the additional context.
func occurrences(locs []sbom.Location) *cdx.Evidence {
	if len(locs) == 0 {
		return nil
	}
	occ := make([]cdx.EvidenceOccurrence, len(locs))
	for i, l := range locs {
		ctx := "layer " + strconv.Itoa(l.Layer)
		if l.DiffID != "" {
			ctx += " " + l.DiffID
		}
		occ[i] = cdx.EvidenceOccurrence{Location: l.Path, AdditionalContext: ctx}
	}
	return &cdx.Evidence{Occurrences: &occ}
}
