package spdx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/input"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/props"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/purltype"
)

// cataloger names the decoder in warnings and in packages that do not say
// which cataloger found them.
const cataloger = "spdx"

// ErrNotSPDX reports a JSON document that is not an SPDX 2 document.
var ErrNotSPDX = errors.New("not an SPDX 2 JSON document")

// Decode reads an SPDX JSON document (2.3; 2.1 and 2.2 are converted) of at
// most input.MaxSize bytes. The package the document DESCRIBES that has no
// purl (or is of purpose CONTAINER) is the source; a package of purpose
// OPERATING_SYSTEM the distro; every other package a package, with its purl,
// its declared (else concluded) licenses split on top-level AND, and, when
// the document is plimsoll's, every model field from its annotation. A package
// CONTAINS package link from an OS package to a language package (and syft's
// ownership-by-file-overlap) becomes ownership; a package CONTAINS file link
// an owned file.
func Decode(r io.Reader) (*sbom.SBOM, error) {
	b, err := input.ReadAll(r, 0)
	if err != nil {
		return nil, fmt.Errorf("decode spdx: %w", err)
	}
	if !bytes.Contains(b, []byte(`"spdxVersion"`)) {
		return nil, fmt.Errorf("decode spdx: %w", ErrNotSPDX)
	}
	var doc v2_3.Document
	if err := spdxjson.ReadInto(bytes.NewReader(b), &doc); err != nil {
		return nil, fmt.Errorf("decode spdx: %w", err)
	}
	if !strings.HasPrefix(doc.SPDXVersion, "SPDX-2.") {
		return nil, fmt.Errorf("decode spdx: version %q: %w", doc.SPDXVersion, ErrNotSPDX)
	}
	d := decoder{
		s:    &sbom.SBOM{Schema: sbom.SchemaVersion, Packages: []sbom.Package{}},
		ids:  map[common.ElementID]int{},
		file: map[common.ElementID]string{},
		lics: map[string]string{},
	}
	d.decode(&doc)
	d.s.Sort()
	return d.s, nil
}

type decoder struct {
	s    *sbom.SBOM
	ids  map[common.ElementID]int    // element → index in s.Packages
	file map[common.ElementID]string // element → path
	lics map[string]string           // LicenseRef → its name
}

func (d *decoder) warn(format string, args ...any) {
	d.s.Warnings = append(d.s.Warnings, sbom.Warning{Cataloger: cataloger, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) decode(doc *v2_3.Document) {
	for _, l := range doc.OtherLicenses {
		if l != nil {
			d.lics[l.LicenseIdentifier] = firstOf(l.LicenseName, l.ExtractedText)
		}
	}
	described := map[common.ElementID]bool{}
	for _, r := range doc.Relationships {
		if r == nil {
			continue
		}
		switch {
		case r.Relationship == common.TypeRelationshipDescribe && r.RefA.ElementRefID == "DOCUMENT":
			described[r.RefB.ElementRefID] = true
		case r.Relationship == common.TypeRelationshipDescribeBy && r.RefB.ElementRefID == "DOCUMENT":
			described[r.RefA.ElementRefID] = true
		}
	}
	sourceSet := false
	for _, p := range doc.Packages {
		if p == nil {
			continue
		}
		purl := purlOf(p)
		switch {
		case isOS(p.PrimaryPackagePurpose):
			d.distro(p)
		case !sourceSet && described[p.PackageSPDXIdentifier] && (purl == "" || p.PrimaryPackagePurpose == "CONTAINER"):
			d.source(p)
			sourceSet = true
		default:
			d.pkg(p, purl)
		}
	}
	for _, f := range doc.Files {
		if f != nil {
			d.addFile(f)
		}
	}
	for _, r := range doc.Relationships {
		if r != nil {
			d.relationship(r)
		}
	}
}

func isOS(purpose string) bool {
	return purpose == "OPERATING_SYSTEM" || purpose == "OPERATING-SYSTEM"
}

func purlOf(p *v2_3.Package) string {
	for _, r := range p.PackageExternalReferences {
		if r != nil && r.RefType == common.TypePackageManagerPURL {
			return r.Locator
		}
	}
	return ""
}

func (d *decoder) source(p *v2_3.Package) {
	found, err := props.ApplySource(d.s, d.annotations(p.Annotations))
	if err != nil {
		d.warn("package %s: %v", p.PackageSPDXIdentifier, err)
	}
	if found {
		return
	}
	src := &d.s.Source
	src.Reference = p.PackageName
	switch {
	case strings.HasPrefix(p.PackageVersion, "sha256:"):
		src.ManifestDigest = p.PackageVersion
	case p.PackageVersion != "":
		src.Reference += ":" + p.PackageVersion
	}
}

func (d *decoder) distro(p *v2_3.Package) {
	if d.s.Distro != nil {
		return
	}
	dist := &sbom.Distro{ID: p.PackageName, VersionID: p.PackageVersion, PrettyName: p.PackageDescription}
	props.ApplyDistro(dist, d.annotations(p.Annotations))
	d.s.Distro = dist
}

func (d *decoder) pkg(p *v2_3.Package, purl string) {
	pk := sbom.Package{Name: p.PackageName, Version: p.PackageVersion, PURL: purl, Locations: []sbom.Location{}}
	lic := p.PackageLicenseDeclared
	if isNone(lic) {
		lic = p.PackageLicenseConcluded
	}
	pk.Licenses = d.licenses(lic)
	found, err := props.ApplyPackage(&pk, d.annotations(p.Annotations))
	if err != nil {
		d.warn("package %s: %v", p.PackageSPDXIdentifier, err)
	}
	if !found {
		pk.Type = purltype.FromPURL(purl)
		if path := sourcePath(p.PackageSourceInfo); path != "" {
			pk.Locations = append(pk.Locations, sbom.Location{Path: path})
		}
	}
	if pk.Cataloger == "" {
		pk.Cataloger = cataloger
	}
	if pk.ID == "" {
		pk.ComputeID()
	}
	d.ids[p.PackageSPDXIdentifier] = len(d.s.Packages)
	d.s.Packages = append(d.s.Packages, pk)
}

func (d *decoder) addFile(f *v2_3.File) {
	file := sbom.File{Path: f.FileName}
	for _, c := range f.Checksums {
		if c.Algorithm == common.SHA256 {
			file.Digest = "sha256:" + c.Value
		}
	}
	for _, pr := range d.annotations(f.Annotations) {
		switch pr.Name {
		case fileLayer:
			if n, err := strconv.Atoi(pr.Value); err == nil && n >= 0 && n < props.MaxIndex {
				file.Layer = n
			}
		case fileDiffID:
			file.DiffID = pr.Value
		}
	}
	d.file[f.FileSPDXIdentifier] = f.FileName
	d.s.Files = append(d.s.Files, file)
}

func (d *decoder) relationship(r *v2_3.Relationship) {
	a, b := r.RefA.ElementRefID, r.RefB.ElementRefID
	if r.RefA.DocumentRefID != "" || r.RefB.DocumentRefID != "" {
		return
	}
	from, okA := d.ids[a]
	if !okA {
		return
	}
	fromID := d.s.Packages[from].ID
	if path, ok := d.file[b]; ok && r.Relationship == common.TypeRelationshipContains {
		d.s.Relationships = append(d.s.Relationships, sbom.Relationship{From: fromID, To: path, Type: sbom.Contains})
		return
	}
	to, okB := d.ids[b]
	if !okB || to == from {
		return
	}
	owns := r.Relationship == common.TypeRelationshipContains && d.s.Packages[from].Type.IsOS() && !d.s.Packages[to].Type.IsOS()
	owns = owns || (r.Relationship == common.TypeRelationshipOther && strings.HasPrefix(r.RelationshipComment, "ownership-by-file-overlap"))
	if owns {
		d.s.Relationships = append(d.s.Relationships, sbom.Relationship{From: fromID, To: d.s.Packages[to].ID, Type: sbom.Owns})
	}
}

// annotations reads the plimsoll properties of an element's annotations.
func (d *decoder) annotations(as []v2_3.Annotation) props.List {
	var l props.List
	for _, a := range as {
		for _, line := range strings.Split(a.AnnotationComment, "\n") {
			name, value, ok := strings.Cut(line, "=")
			if !ok || !strings.HasPrefix(name, props.Prefix) {
				continue
			}
			if strings.HasPrefix(value, `"`) {
				v, err := strconv.Unquote(value)
				if err != nil {
					d.warn("annotation %s: %v", name, err)
					continue
				}
				value = v
			}
			l = append(l, props.Property{Name: name, Value: value})
		}
	}
	return l
}

// sourcePath finds the evidence path in a sourceInfo as plimsoll and syft
// write it ("acquired package info from DPKG DB: /var/lib/dpkg/status"): its
// last word, when that is an absolute path.
func sourcePath(info string) string {
	if !strings.HasPrefix(info, "acquired package info from ") {
		return ""
	}
	f := strings.Fields(info)
	if last := f[len(f)-1]; strings.HasPrefix(last, "/") {
		return last
	}
	return ""
}
