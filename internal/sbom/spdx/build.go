package spdx

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/docid"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/license"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/props"
)

// builder fills one document.
type builder struct {
	s    *sbom.SBOM
	doc  *v2_3.Document
	tool common.Annotator
	refs map[string]common.ElementID // package ID → element ID
	lics map[string]string           // LicenseRef id → name
}

func (b *builder) build() error {
	b.image()
	if d := b.s.Distro; d != nil && d.ID != "" {
		b.add(&v2_3.Package{
			PackageName:             d.ID,
			PackageSPDXIdentifier:   distroID,
			PackageVersion:          d.VersionID,
			PackageDescription:      d.PrettyName,
			PackageDownloadLocation: noAssert,
			PrimaryPackagePurpose:   "OPERATING_SYSTEM",
			Annotations:             b.annotation(props.FromDistro(d)),
		})
		b.relate(imageID, distroID, common.TypeRelationshipContains, "")
	}
	seen := map[common.ElementID]bool{imageID: true, distroID: true}
	for _, p := range b.s.Packages {
		id := packageID(p)
		for n := 2; seen[id]; n++ {
			id = packageID(p) + common.ElementID("-"+strconv.Itoa(n))
		}
		seen[id] = true
		if _, dup := b.refs[p.ID]; !dup {
			b.refs[p.ID] = id
		}
		if err := b.pkg(p, id); err != nil {
			return err
		}
		b.relate(imageID, id, common.TypeRelationshipContains, "")
	}
	b.files()
	b.relationships()
	b.otherLicenses()
	return nil
}

func (b *builder) add(p *v2_3.Package) {
	if p.PackageLicenseConcluded == "" {
		p.PackageLicenseConcluded = noAssert
	}
	if p.PackageLicenseDeclared == "" {
		p.PackageLicenseDeclared = noAssert
	}
	p.PackageCopyrightText = noAssert
	b.doc.Packages = append(b.doc.Packages, p)
}

func (b *builder) relate(from, to common.ElementID, typ, comment string) {
	b.doc.Relationships = append(b.doc.Relationships, &v2_3.Relationship{
		RefA:                common.DocElementID{ElementRefID: from},
		RefB:                common.DocElementID{ElementRefID: to},
		Relationship:        typ,
		RelationshipComment: comment,
	})
}

func (b *builder) image() {
	src := b.s.Source
	im := docid.ParseImage(src.Reference)
	p := &v2_3.Package{
		PackageName:             firstOf(im.Repository, src.Reference, "unknown"),
		PackageSPDXIdentifier:   imageID,
		PackageVersion:          firstOf(src.ManifestDigest, src.ConfigDigest, im.Digest, im.Tag),
		PackageDownloadLocation: noAssert,
		PrimaryPackagePurpose:   "CONTAINER",
		Annotations:             b.annotation(props.FromSource(b.s)),
	}
	if c, ok := checksum(src.ManifestDigest); ok {
		p.PackageChecksums = []common.Checksum{c}
	}
	if src.Kind == "dir" {
		p.PrimaryPackagePurpose = "FILE" // a directory tree, not an image
	}
	b.add(p)
	b.doc.Relationships = append(b.doc.Relationships, &v2_3.Relationship{
		RefA:         common.DocElementID{ElementRefID: "DOCUMENT"},
		RefB:         common.DocElementID{ElementRefID: imageID},
		Relationship: common.TypeRelationshipDescribe,
	})
}

// packageID is "Package-<type>-<name>-<id>", sanitized.
func packageID(p sbom.Package) common.ElementID {
	return common.ElementID(sanitize("Package-" + string(p.Type) + "-" + p.Name + "-" + p.ID))
}

func (b *builder) pkg(p sbom.Package, id common.ElementID) error {
	l, err := props.FromPackage(p, b.s.Source.Layers)
	if err != nil {
		return err
	}
	sp := &v2_3.Package{
		PackageName:             p.Name,
		PackageSPDXIdentifier:   id,
		PackageVersion:          p.Version,
		PackageDownloadLocation: noAssert,
		PackageLicenseDeclared:  b.licenseExpression(p.Licenses),
		Annotations:             b.annotation(l),
	}
	if len(p.Locations) > 0 {
		sp.PackageSourceInfo = "acquired package info from " + p.Locations[0].Path
	}
	if p.PURL != "" {
		sp.PackageExternalReferences = []*v2_3.PackageExternalReference{{
			Category: common.CategoryPackageManager, RefType: common.TypePackageManagerPURL, Locator: p.PURL,
		}}
	}
	b.add(sp)
	return nil
}

// licenseExpression joins the licenses with AND: identifiers and expressions as
// they are (compound ones in parentheses), free text as a LicenseRef.
func (b *builder) licenseExpression(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	terms := make([]string, 0, len(ls))
	for _, l := range ls {
		switch k, v := license.Classify(l); k {
		case license.ID:
			terms = append(terms, v)
		case license.Expression:
			b.defineRefs(v)
			if len(ls) > 1 && strings.Contains(v, " ") {
				v = "(" + v + ")"
			}
			terms = append(terms, v)
		default:
			ref := license.RefID(l)
			if b.lics == nil {
				b.lics = map[string]string{}
			}
			b.lics[ref] = l
			terms = append(terms, ref)
		}
	}
	return strings.Join(terms, " AND ")
}

// files writes each owned file whose digest is known (SPDX requires a
// checksum) and the CONTAINS link from its package.
func (b *builder) files() {
	written := map[string]common.ElementID{}
	for _, f := range b.s.Files {
		c, ok := checksum(f.Digest)
		if !ok {
			continue
		}
		sum := sha256.Sum256([]byte(f.Path))
		id := common.ElementID("File-" + hex.EncodeToString(sum[:8]))
		if _, dup := written[f.Path]; dup {
			continue
		}
		written[f.Path] = id
		var l props.List
		l.Add(fileLayer, strconv.Itoa(f.Layer))
		l.Add(fileDiffID, f.DiffID)
		b.doc.Files = append(b.doc.Files, &v2_3.File{
			FileName:           f.Path,
			FileSPDXIdentifier: id,
			Checksums:          []common.Checksum{c},
			LicenseConcluded:   noAssert,
			FileCopyrightText:  noAssert,
			Annotations:        b.annotation(l),
		})
	}
	for _, r := range b.s.Relationships {
		from, ok := b.refs[r.From]
		if to, isFile := written[r.To]; ok && isFile && r.Type == sbom.Contains {
			b.relate(from, to, common.TypeRelationshipContains, "")
		}
	}
}

// The file properties, kept in each file's annotation.
const (
	fileLayer  = "plimsoll:file:layer"
	fileDiffID = "plimsoll:file:diffID"
)

// relationships writes ownership between packages.
func (b *builder) relationships() {
	for _, r := range b.s.Relationships {
		from, okA := b.refs[r.From]
		to, okB := b.refs[r.To]
		if r.Type == sbom.Owns && okA && okB {
			b.relate(from, to, common.TypeRelationshipContains, ownsNote)
		}
	}
}

func (b *builder) otherLicenses() {
	refs := make([]string, 0, len(b.lics))
	for r := range b.lics {
		refs = append(refs, r)
	}
	sortStrings(refs)
	for _, r := range refs {
		b.doc.OtherLicenses = append(b.doc.OtherLicenses, &v2_3.OtherLicense{
			LicenseIdentifier: r, ExtractedText: b.lics[r], LicenseName: b.lics[r],
		})
	}
}

// defineRefs declares the LicenseRefs an expression names, whose text the
// model does not have: SPDX requires every LicenseRef to be declared.
func (b *builder) defineRefs(expr string) {
	for _, f := range strings.FieldsFunc(expr, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
		if strings.HasPrefix(f, "LicenseRef-") {
			if _, ok := b.lics[f]; !ok {
				if b.lics == nil {
					b.lics = map[string]string{}
				}
				b.lics[f] = f
			}
		}
	}
}
