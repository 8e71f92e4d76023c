// Package spdx writes the SBOM model as SPDX 2.3 JSON and reads SPDX JSON (2.3,
// and 2.1 and 2.2 converted to 2.3) back into it, through the SPDX project's Go
// model (github.com/spdx/tools-golang).
//
// The document DESCRIBES the image, a package of purpose CONTAINER; the image
// CONTAINS its distribution (purpose OPERATING_SYSTEM) and every package; an OS
// package CONTAINS the language packages it owns (comment "plimsoll:owns") and
// the files it owns when their digest is known. Packages carry their purl as a
// PACKAGE-MANAGER external reference and their licenses as licenseDeclared.
// What SPDX has no field for is kept as "plimsoll:" properties, one
// name=value a line, in one annotation per element. SPDXIDs and the document
// namespace derive from the content, so the same inventory always gives the
// same document. docs/sbom-formats.md describes the mapping.
package spdx

import (
	"fmt"
	"io"
	"strings"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/docid"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/props"
)

// NamespaceBase starts every documentNamespace plimsoll writes.
const NamespaceBase = "https://github.com/plimsoll/plimsoll/sbom/spdx/"

// The SPDX element IDs (without "SPDXRef-") of the fixed elements.
const (
	imageID  = "Image"
	distroID = "OperatingSystem"
	noAssert = "NOASSERTION"
	ownsNote = "plimsoll:owns"
)

// Encoder writes SPDX documents. The zero value is ready to use.
type Encoder struct {
	// Now gives creationInfo.created and the annotation dates (the model has no
	// timestamp); nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
	// ToolVersion is plimsoll's version, recorded as the creator tool.
	ToolVersion string
}

// Encode writes s as SPDX 2.3 JSON with the zero Encoder. It sorts s in place,
// as sbom.WriteJSON does.
func Encode(w io.Writer, s *sbom.SBOM) error {
	return Encoder{}.Encode(w, s)
}

// Encode writes s as indented SPDX 2.3 JSON: the same document and clock always
// give the same bytes, and the namespace is a name-based UUID of the rest of
// the document, so a document decoded and encoded again is the same. It sorts
// s in place.
func (e Encoder) Encode(w io.Writer, s *sbom.SBOM) error {
	doc, err := e.document(s)
	if err != nil {
		return fmt.Errorf("encode spdx: %w", err)
	}
	if err := spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("encode spdx: %w", err)
	}
	return nil
}

func (e Encoder) document(s *sbom.SBOM) (*v2_3.Document, error) {
	s.Sort()
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	version := e.ToolVersion
	if version == "" {
		version = "dev"
	}
	b := builder{
		s:    s,
		tool: common.Annotator{AnnotatorType: "Tool", Annotator: "plimsoll-" + version},
		refs: map[string]common.ElementID{},
	}
	name := s.Source.Reference
	if name == "" {
		name = "unknown"
	}
	b.doc = &v2_3.Document{
		SPDXVersion:    v2_3.Version,
		DataLicense:    v2_3.DataLicense,
		SPDXIdentifier: "DOCUMENT",
		DocumentName:   name,
		CreationInfo: &v2_3.CreationInfo{
			LicenseListVersion: listVersion(),
			Creators:           []common.Creator{{CreatorType: "Tool", Creator: "plimsoll-" + version}},
		},
	}
	if err := b.build(); err != nil {
		return nil, err
	}
	// The namespace is a UUID of the content without namespace and dates.
	hash, err := docid.Hash(b.doc)
	if err != nil {
		return nil, err
	}
	b.doc.DocumentNamespace = namespace(s, hash)
	stamp(b.doc, now().UTC().Format(time.RFC3339))
	return b.doc, nil
}

// stamp sets the creation date and every annotation's date.
func stamp(doc *v2_3.Document, date string) {
	doc.CreationInfo.Created = date
	for _, p := range doc.Packages {
		for i := range p.Annotations {
			p.Annotations[i].AnnotationDate = date
		}
	}
	for _, f := range doc.Files {
		for i := range f.Annotations {
			f.Annotations[i].AnnotationDate = date
		}
	}
}

// namespace is NamespaceBase, the source kind and name, and a UUID of the
// content: unique per inventory, stable across runs.
func namespace(s *sbom.SBOM, hash string) string {
	kind := s.Source.Kind
	if kind == "" {
		kind = "unknown"
	}
	name := docid.ParseImage(s.Source.Reference).Name
	if name == "" {
		name = "unknown"
	}
	return NamespaceBase + sanitize(kind) + "/" + sanitize(name) + "-" + docid.UUID(hash)
}

// listVersion is the SPDX License List version as major.minor.
func listVersion() string {
	v := spdxlicenses.LicenseListVersion()
	if i := strings.LastIndexByte(v, '.'); strings.Count(v, ".") == 2 {
		v = v[:i]
	}
	return v
}

// sanitize keeps [A-Za-z0-9.-] and turns anything else into '-', as SPDXIDs
// require.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// annotation writes properties as one annotation, a name=value a line; a value
// with a newline, or starting with a quote, is Go-quoted.
func (b *builder) annotation(l props.List) []v2_3.Annotation {
	if len(l) == 0 {
		return nil
	}
	lines := make([]string, len(l))
	for i, p := range l {
		v := p.Value
		if strings.ContainsAny(v, "\n\r") || strings.HasPrefix(v, `"`) {
			v = fmt.Sprintf("%q", v)
		}
		lines[i] = p.Name + "=" + v
	}
	return []v2_3.Annotation{{
		Annotator:         b.tool,
		AnnotationType:    "OTHER",
		AnnotationComment: strings.Join(lines, "\n"),
	}}
}
