// Package python catalogs installed Python distributions from their core metadata:
// *.dist-info/METADATA (wheels, pip, uv, Debian's python3-* packages) and
// *.egg-info/PKG-INFO (setuptools, eggs), with the files RECORD or
// installed-files.txt say they own; and what poetry.lock, uv.lock, Pipfile.lock
// and pinned requirements*.txt name but is not installed. Names are normalised
// per PEP 503.
package python

import (
	"archive/tar"
	"context"
	"path"
	"slices"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/internal/spdx"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Cataloger finds Python distributions.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the Python cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "python".
func (*Cataloger) Name() string { return "python" }

// Requests asks for metadata, RECORD and INSTALLER in dist-info directories and
// PKG-INFO and installed-files.txt in egg-info directories (or an egg-info file).
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{Match: func(p string, _ *tar.Header) bool {
		return metadataFile(p) || sidecar(p) || isLockfile(p)
	}}}
}

// metadataFile reports whether p is a distribution's core metadata.
func metadataFile(p string) bool {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch base {
	case "METADATA":
		return strings.HasSuffix(dir, ".dist-info")
	case "PKG-INFO":
		return strings.HasSuffix(dir, ".egg-info")
	}
	return strings.HasSuffix(base, ".egg-info") // a single-file egg-info is PKG-INFO itself
}

func sidecar(p string) bool {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch base {
	case "RECORD", "INSTALLER":
		return strings.HasSuffix(dir, ".dist-info")
	case "installed-files.txt":
		return strings.HasSuffix(dir, ".egg-info")
	}
	return false
}

// Catalog reads every distribution's metadata.
func (*Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	var pkgs []sbom.Package
	var rels []sbom.Relationship
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if !metadataFile(f.Path) {
			continue
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		m, err := ParseMetadata(b)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		p := newPackage(in, f, m)
		p.ComputeID()
		owned := ownedFiles(in, f.Path)
		p.Metadata.(*sbom.PythonMetadata).Files = len(owned)
		for _, o := range owned {
			rels = append(rels, sbom.Relationship{From: p.ID, To: o, Type: sbom.Contains})
		}
		pkgs = append(pkgs, p)
	}
	return append(pkgs, lockedPackages(in, pkgs)...), rels, nil
}

// lockedPackages reports what lockfiles and pinned requirements name but no
// installed distribution in the image provides.
func lockedPackages(in *catalog.Input, installed []sbom.Package) []sbom.Package {
	have := map[string]bool{}
	for _, p := range installed {
		have[p.Name+"@"+p.Version] = true
	}
	var out []sbom.Package
	for _, f := range in.Files() {
		if !isLockfile(f.Path) {
			continue
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		locked, err := ParseLockfile(f.Path, b)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		introduced := in.Introductions(f, func(b []byte) map[string]bool {
			keys := map[string]bool{}
			l, _ := ParseLockfile(f.Path, b)
			for _, x := range l {
				keys[x.Name+"@"+x.Version] = true
			}
			return keys
		})
		for _, l := range locked {
			if have[l.Name+"@"+l.Version] {
				continue
			}
			p := sbom.Package{Name: l.Name, Version: l.Version, Type: sbom.TypePython, Dev: l.Dev,
				PURL:      packageurl.NewPackageURL(packageurl.TypePyPi, "", l.Name, l.Version, nil, "").ToString(),
				Locations: []sbom.Location{in.Location(f.Path)}, Metadata: &sbom.PythonMetadata{}}
			p.IntroducedBy = introduced(l.Name + "@" + l.Version)
			p.ComputeID()
			out = append(out, p)
		}
	}
	return out
}

func newPackage(in *catalog.Input, f *layerfs.File, m Metadata) sbom.Package {
	name := Normalize(m.Name)
	distDir := path.Dir(f.Path)
	site := path.Dir(distDir)
	if strings.HasSuffix(f.Path, ".egg-info") {
		distDir, site = f.Path, path.Dir(f.Path)
	}
	md := &sbom.PythonMetadata{Summary: m.Summary, Author: m.Author, Homepage: m.Homepage, SitePackages: site}
	if m.Name != name {
		md.DeclaredName = m.Name
	}
	if md.Author == "" {
		md.Author = m.AuthorEmail
	}
	if b, err := in.ReadFile(distDir + "/INSTALLER"); err == nil {
		md.Installer = strings.TrimSpace(string(b))
	}
	p := sbom.Package{
		Name: name, Version: m.Version, Type: sbom.TypePython,
		PURL:      packageurl.NewPackageURL(packageurl.TypePyPi, "", name, m.Version, nil, "").ToString(),
		Licenses:  licenses(m),
		Locations: []sbom.Location{in.Location(f.Path)},
		Metadata:  md,
	}
	p.IntroducedBy = catalog.IntroducedBy(in.Versions(f.Path), f.Layer, func(v catalog.Version) bool {
		old, err := ParseMetadata(v.Content)
		return err == nil && Normalize(old.Name) == name && old.Version == m.Version
	})
	return p
}

// licenses prefers the PEP 639 expression, then a short License field, then the
// license classifiers.
func licenses(m Metadata) []string {
	var out []string
	switch {
	case m.LicenseExpression != "":
		out = spdx.Split(m.LicenseExpression)
	case m.License != "" && !strings.EqualFold(m.License, "UNKNOWN"):
		if id, ok := spdx.ID(m.License); ok {
			out = []string{id}
		} else {
			out = spdx.Split(m.License)
		}
	default:
		for _, c := range m.Classifiers {
			parts := strings.Split(c, "::")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" && last != "OSI Approved" {
				out = append(out, spdx.Normalize(last))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ownedFiles returns the visible files a distribution's RECORD (or egg-info
// installed-files.txt) lists, as absolute paths.
func ownedFiles(in *catalog.Input, metadataPath string) []string {
	distDir := path.Dir(metadataPath)
	var rel []string
	base := distDir
	if b, err := in.ReadFile(distDir + "/RECORD"); err == nil {
		paths, err := ParseRecord(b)
		if err != nil {
			in.Warn(distDir+"/RECORD", err)
		}
		rel, base = paths, path.Dir(distDir)
	} else if b, err := in.ReadFile(distDir + "/installed-files.txt"); err == nil {
		rel = ParseInstalledFiles(b)
	}
	var out []string
	for _, r := range rel {
		p := path.Join(base, r)
		if strings.HasPrefix(r, "/") {
			p = path.Clean(r)
		}
		if f, ok := in.FS.Lookup(p); ok && f.Type != layerfs.Dir {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
