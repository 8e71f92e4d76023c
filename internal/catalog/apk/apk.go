// Package apk catalogs Alpine packages from the apk installed database, with the
// files each package owns.
package apk

import (
	"context"
	"slices"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/internal/spdx"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// dbPath is the installed database. Old images may keep it under /usr/lib/apk.
var dbPaths = []string{"/lib/apk/db/installed", "/usr/lib/apk/db/installed"}

// Cataloger finds Alpine packages.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the apk cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "apk".
func (*Cataloger) Name() string { return "apk" }

// Databases lists the paths of the installed database.
func Databases() []string { return append([]string(nil), dbPaths...) }

// Requests asks for the installed database.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{Paths: dbPaths}}
}

// Catalog reads the installed database.
func (*Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	var pkgs []sbom.Package
	var rels []sbom.Relationship
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		entries, problems := ParseInstalled(b)
		for _, p := range problems {
			in.Warn(f.Path, p)
		}
		introduced := in.Introductions(f, installedKeys)
		for _, e := range entries {
			p := newPackage(in, f.Path, e)
			p.IntroducedBy = introduced(e.key())
			p.ComputeID()
			n := 0
			for _, file := range e.Files {
				if fi, ok := in.FS.Lookup(file); ok && fi.Type != layerfs.Dir {
					rels = append(rels, sbom.Relationship{From: p.ID, To: file, Type: sbom.Contains})
					n++
				}
			}
			p.Metadata.(*sbom.ApkMetadata).Files = n
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, rels, nil
}

func installedKeys(b []byte) map[string]bool {
	entries, _ := ParseInstalled(b)
	keys := make(map[string]bool, len(entries))
	for _, e := range entries {
		keys[e.key()] = true
	}
	return keys
}

func newPackage(in *catalog.Input, evidence string, e Entry) sbom.Package {
	md := &sbom.ApkMetadata{Architecture: e.Architecture, InstalledSize: e.InstalledSize,
		Maintainer: e.Maintainer, Checksum: e.Checksum, Commit: e.Commit}
	if e.Origin != e.Name {
		md.Origin = e.Origin
	}
	lic := spdx.Split(e.License)
	slices.Sort(lic)
	return sbom.Package{
		Name: e.Name, Version: e.Version, Type: sbom.TypeApk, PURL: purl(in.Distro, e),
		Licenses: slices.Compact(lic), Locations: []sbom.Location{in.Location(evidence)}, Metadata: md,
	}
}

// purl is pkg:apk/<distro>/<name>@<version>?arch=…&distro=<id>-<version>&upstream=<origin>.
func purl(d *sbom.Distro, e Entry) string {
	ns, distro := "alpine", ""
	if d != nil && d.ID != "" {
		ns, distro = d.ID, d.ID
		if d.VersionID != "" {
			distro += "-" + d.VersionID
		}
	}
	var q packageurl.Qualifiers
	if e.Architecture != "" {
		q = append(q, packageurl.Qualifier{Key: "arch", Value: e.Architecture})
	}
	if distro != "" {
		q = append(q, packageurl.Qualifier{Key: "distro", Value: distro})
	}
	if e.Origin != "" && e.Origin != e.Name {
		q = append(q, packageurl.Qualifier{Key: "upstream", Value: e.Origin})
	}
	return packageurl.NewPackageURL(packageurl.TypeApk, ns, e.Name, e.Version, q, "").ToString()
}
