package sbom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// packageJSON is Package on the wire: the metadata with its type beside it.
type packageJSON struct {
	packageFields
	MetadataType string          `json:"metadataType,omitempty"`
	Metadata     json.RawMessage `json:"metadata,omitempty"`
}

type packageFields Package // without Package's methods, so no recursion

// MarshalJSON writes the package with its metadata and the metadata's type.
func (p Package) MarshalJSON() ([]byte, error) {
	out := packageJSON{packageFields: packageFields(p)}
	if p.Metadata != nil {
		b, err := json.Marshal(p.Metadata)
		if err != nil {
			return nil, fmt.Errorf("package %s: metadata: %w", p.ID, err)
		}
		out.MetadataType, out.Metadata = p.Metadata.MetadataType(), b
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a package and its typed metadata. Metadata of an unknown
// type is an error: the document comes from a newer plimsoll.
func (p *Package) UnmarshalJSON(b []byte) error {
	var in packageJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*p = Package(in.packageFields)
	if in.MetadataType == "" {
		return nil
	}
	m := newMetadata(in.MetadataType)
	if m == nil {
		return fmt.Errorf("package %s: unknown metadata type %q", in.ID, in.MetadataType)
	}
	if len(in.Metadata) > 0 {
		dec := json.NewDecoder(bytes.NewReader(in.Metadata))
		dec.DisallowUnknownFields()
		if err := dec.Decode(m); err != nil {
			return fmt.Errorf("package %s: %s metadata: %w", in.ID, in.MetadataType, err)
		}
	}
	p.Metadata = m
	return nil
}

// WriteJSON writes the document as indented native JSON, sorted first.
func WriteJSON(w io.Writer, s *SBOM) error {
	s.Sort()
	if s.Schema == "" {
		s.Schema = SchemaVersion
	}
	if s.Packages == nil {
		s.Packages = []Package{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("encode sbom: %w", err)
	}
	return nil
}

// ReadJSON decodes a native JSON document.
func ReadJSON(r io.Reader) (*SBOM, error) {
	var s SBOM
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decode sbom: %w", err)
	}
	if s.Schema != SchemaVersion {
		return nil, fmt.Errorf("decode sbom: schema %q, want %q", s.Schema, SchemaVersion)
	}
	return &s, nil
}
