// Package syftjson reads syft's native JSON (the document `syft -o json`
// writes: artifacts, artifactRelationships, files, source, distro) into the
// SBOM model, so an SBOM made by syft can be matched and evaluated like one
// made by plimsoll. It only decodes: plimsoll writes its own JSON, CycloneDX
// and SPDX.
package syftjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/input"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/purltype"
)

// cataloger names the decoder in warnings.
const cataloger = "syft-json"

// ErrNotSyft reports a JSON document that is not syft's.
var ErrNotSyft = errors.New("not a syft JSON document")

// Decode reads a syft JSON document of at most input.MaxSize bytes. Each
// artifact becomes a package: name (Python names normalised per PEP 503),
// version, type, purl, licenses (the SPDX expression where syft found one,
// else the value), locations with the layer index found from the layer's
// diffID among the image's layers, the primary location's layer as the one
// that introduced it, and the metadata of dpkg, apk, rpm, npm, Python, Go and
// Java packages. ownership-by-file-overlap relationships become ownership links,
// contains relationships to files owned files. An artifact that cannot be
// read is a warning naming it; the rest are still decoded.
func Decode(r io.Reader) (*sbom.SBOM, error) {
	b, err := input.ReadAll(r, 0)
	if err != nil {
		return nil, fmt.Errorf("decode syft json: %w", err)
	}
	var doc document
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode syft json: %w", err)
	}
	if doc.Schema.Version == "" && doc.Artifacts == nil {
		return nil, fmt.Errorf("decode syft json: no schema.version and no artifacts: %w", ErrNotSyft)
	}
	d := decoder{s: &sbom.SBOM{Schema: sbom.SchemaVersion, Packages: []sbom.Package{}}, ids: map[string]string{}, layers: map[string]int{}}
	d.source(doc.Source)
	d.distro(doc.Distro)
	for _, a := range doc.Artifacts {
		d.artifact(a)
	}
	d.files(doc.Files, doc.Relationships)
	d.relationships(doc.Relationships)
	d.s.Sort()
	return d.s, nil
}

type decoder struct {
	s      *sbom.SBOM
	ids    map[string]string // syft artifact ID → package ID
	layers map[string]int    // diffID → layer index
}

func (d *decoder) warn(path, format string, args ...any) {
	d.s.Warnings = append(d.s.Warnings, sbom.Warning{Cataloger: cataloger, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) source(src source) {
	s := &d.s.Source
	s.Reference = src.Name
	if src.Version != "" && !strings.HasPrefix(src.Version, "sha256:") {
		s.Reference += ":" + src.Version
	}
	switch src.Type {
	case "image":
		d.image(src)
	case "directory", "file":
		s.Kind = "dir"
	}
}

func (d *decoder) image(src source) {
	raw := src.Metadata
	if len(raw) == 0 {
		raw = src.Target
	}
	var m imageMetadata
	if err := json.Unmarshal(raw, &m); err != nil {
		d.warn("", "source metadata: %v", err)
		return
	}
	s := &d.s.Source
	if m.UserInput != "" {
		s.Reference = m.UserInput
	}
	s.ManifestDigest, s.ConfigDigest = m.ManifestDigest, m.ImageID
	s.Tags, s.RepoDigests = m.Tags, m.RepoDigests
	if m.OS != "" && m.Architecture != "" {
		s.Platform = m.OS + "/" + m.Architecture
		if m.Variant != "" {
			s.Platform += "/" + m.Variant
		}
	}
	for i, l := range m.Layers {
		s.Layers = append(s.Layers, sbom.Layer{Index: i, DiffID: l.Digest, Size: l.Size, MediaType: l.MediaType})
		if _, dup := d.layers[l.Digest]; !dup {
			d.layers[l.Digest] = i
		}
	}
}

func (d *decoder) distro(r distro) {
	if r.ID == "" {
		return
	}
	dist := &sbom.Distro{ID: r.ID, VersionID: r.VersionID, Codename: r.VersionCodename, PrettyName: r.PrettyName}
	var like []string
	if json.Unmarshal(r.IDLike, &like) != nil {
		var one string
		if json.Unmarshal(r.IDLike, &one) == nil {
			like = strings.Fields(one)
		}
	}
	dist.IDLike = like
	d.s.Distro = dist
}

func (d *decoder) artifact(a artifact) {
	p := sbom.Package{
		Name: a.Name, Version: a.Version, PURL: a.PURL, Cataloger: a.FoundBy, Locations: []sbom.Location{},
		Type: purltype.FromSyft(a.Type),
	}
	if p.Type == "" {
		p.Type = purltype.FromPURL(a.PURL)
	}
	if p.Type == "" {
		p.Type = sbom.Type(a.Type) // a type the model does not list: kept as syft names it
	}
	if p.Type == sbom.TypePython {
		p.Name = normalizePython(p.Name)
	}
	for _, l := range a.Locations {
		p.Locations = append(p.Locations, sbom.Location{Path: l.Path, Layer: d.layers[l.LayerID], DiffID: l.LayerID})
	}
	if len(p.Locations) > 0 {
		p.IntroducedBy = p.Locations[0].Layer
	}
	p.Licenses = licenses(a.Licenses)
	m, err := metadata(a.MetadataType, a.Metadata, a.Name, a.Version)
	if err != nil {
		d.warn(primary(p), "artifact %s (%s): %s metadata: %v", a.Name, a.ID, a.MetadataType, err)
	}
	p.Metadata = m
	p.ComputeID()
	if a.ID != "" {
		d.ids[a.ID] = p.ID
	}
	d.s.Packages = append(d.s.Packages, p)
}

func primary(p sbom.Package) string {
	if len(p.Locations) == 0 {
		return ""
	}
	return p.Locations[0].Path
}

// licenses reads syft's license objects (or the plain strings of old
// schemas): the SPDX expression when syft found one, else the value.
func licenses(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var out []string
	var objs []license
	if err := json.Unmarshal(raw, &objs); err == nil {
		for _, l := range objs {
			if v := cmpOr(l.SPDXExpression, l.Value); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	var strs []string
	if err := json.Unmarshal(raw, &strs); err == nil {
		return strs
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var pep503 = regexp.MustCompile(`[-_.]+`)

// normalizePython is the PEP 503 normal form of a distribution name.
func normalizePython(name string) string {
	return pep503.ReplaceAllString(strings.ToLower(name), "-")
}
