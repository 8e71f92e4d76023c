// Package dpkg catalogs Debian packages from the dpkg database: the status file and
// distroless status.d/ files, with the files each package owns (info/*.list and
// *.md5sums) and the licenses its copyright file declares.
package dpkg

import (
	"context"
	"path"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// The files the cataloger reads.
const (
	statusPath = "/var/lib/dpkg/status"
	statusDir  = "/var/lib/dpkg/status.d"
	infoDir    = "/var/lib/dpkg/info"
	docDir     = "/usr/share/doc"
)

// Cataloger finds Debian packages.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the dpkg cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "dpkg".
func (*Cataloger) Name() string { return "dpkg" }

// Requests asks for the status database, status.d, the info lists and the
// copyright files.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{
		Paths: []string{statusPath},
		Globs: []string{statusDir + "/*", infoDir + "/*.list", infoDir + "/*.md5sums", docDir + "/*/copyright"},
	}}
}

// Catalog reads every status database in the image.
func (c *Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	owned := ownedFiles(in)
	var pkgs []sbom.Package
	var rels []sbom.Relationship
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if f.Path != statusPath && (path.Dir(f.Path) != statusDir || strings.HasSuffix(f.Path, ".md5sums")) {
			continue
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		entries, problems := ParseStatus(b)
		for _, p := range problems {
			in.Warn(f.Path, p)
		}
		introduced := in.Introductions(f, statusKeys)
		for _, e := range entries {
			if !e.Installed() {
				continue
			}
			p := c.newPackage(in, f.Path, e)
			p.IntroducedBy = introduced(e.key())
			p.ComputeID()
			files := owned[e.Package+":"+e.Architecture]
			if files == nil {
				files = owned[e.Package]
			}
			p.Metadata.(*sbom.DpkgMetadata).Files = len(files)
			for _, file := range files {
				rels = append(rels, sbom.Relationship{From: p.ID, To: file, Type: sbom.Contains})
			}
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, rels, nil
}

// statusKeys lists the installed packages of one version of a status file.
func statusKeys(b []byte) map[string]bool {
	entries, _ := ParseStatus(b)
	keys := make(map[string]bool, len(entries))
	for _, e := range entries {
		if e.Installed() {
			keys[e.key()] = true
		}
	}
	return keys
}

func (c *Cataloger) newPackage(in *catalog.Input, evidence string, e Entry) sbom.Package {
	md := &sbom.DpkgMetadata{
		Architecture: e.Architecture, InstalledSize: e.InstalledSize,
		Maintainer: e.Maintainer, Depends: e.Depends,
	}
	if e.Source != e.Package {
		md.Source = e.Source
	}
	if e.SourceVersion != e.Version {
		md.SourceVersion = e.SourceVersion
	}
	p := sbom.Package{
		Name: e.Package, Version: e.Version, Type: sbom.TypeDeb,
		PURL:      purl(in.Distro, e),
		Locations: []sbom.Location{in.Location(evidence)},
		Metadata:  md,
	}
	if lic, ok := licenses(in, e.Package); ok {
		p.Licenses = lic
		p.Locations = append(p.Locations, in.Location(docDir+"/"+e.Package+"/copyright"))
	}
	return p
}

func licenses(in *catalog.Input, pkg string) ([]string, bool) {
	b, err := in.ReadFile(docDir + "/" + pkg + "/copyright")
	if err != nil {
		return nil, false
	}
	return ParseCopyright(b), true
}

// ownedFiles maps "name" and "name:arch" to the non-directory paths the package
// owns, from info/*.list, info/*.md5sums and status.d/*.md5sums.
func ownedFiles(in *catalog.Input) map[string][]string {
	out := map[string][]string{}
	seen := map[string]map[string]bool{}
	for _, f := range in.Files() {
		var ext string
		switch {
		case path.Dir(f.Path) == infoDir && strings.HasSuffix(f.Path, ".list"):
			ext = ".list"
		case (path.Dir(f.Path) == infoDir || path.Dir(f.Path) == statusDir) && strings.HasSuffix(f.Path, ".md5sums"):
			ext = ".md5sums"
		default:
			continue
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		paths := ParseMD5Sums(b)
		if ext == ".list" {
			paths = ParseList(b)
		}
		name, arch := infoName(f.Path, ext)
		key := name
		if arch != "" {
			key = name + ":" + arch
		}
		if seen[key] == nil {
			seen[key] = map[string]bool{}
		}
		for _, p := range paths {
			if seen[key][p] {
				continue
			}
			seen[key][p] = true
			if file, ok := in.FS.Lookup(p); ok && file.Type != layerfs.Dir {
				out[key] = append(out[key], p)
			}
		}
	}
	return out
}

// purl is pkg:deb/<distro>/<name>@<version>?arch=…&distro=<id>-<version>&upstream=….
func purl(d *sbom.Distro, e Entry) string {
	ns, distro := "debian", ""
	if d != nil && d.ID != "" {
		ns = d.ID
		distro = d.ID
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
	if e.Source != e.Package || e.SourceVersion != e.Version {
		up := e.Source
		if e.SourceVersion != e.Version {
			up += "@" + e.SourceVersion
		}
		q = append(q, packageurl.Qualifier{Key: "upstream", Value: up})
	}
	return packageurl.NewPackageURL(packageurl.TypeDebian, ns, e.Package, e.Version, q, "").ToString()
}
