// Package dotnet catalogs the NuGet packages a .NET application was published
// with, from its *.deps.json.
package dotnet

import (
	"archive/tar"
	"context"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Cataloger finds NuGet packages.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the .NET cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "dotnet".
func (*Cataloger) Name() string { return "dotnet" }

// Requests asks for every *.deps.json.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{Match: func(p string, _ *tar.Header) bool { return strings.HasSuffix(p, ".deps.json") }}}
}

// Catalog reads every deps.json.
func (*Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	var pkgs []sbom.Package
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		libs, target, err := ParseDeps(b)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		introduced := in.Introductions(f, depsKeys)
		for _, l := range libs {
			p := sbom.Package{
				Name: l.Name, Version: l.Version, Type: sbom.TypeDotnet,
				PURL:      packageurl.NewPackageURL(packageurl.TypeNuget, "", l.Name, l.Version, nil, "").ToString(),
				Locations: []sbom.Location{in.Location(f.Path)},
				Metadata:  &sbom.DotnetMetadata{SHA512: l.SHA512, Path: l.Path, RuntimeTarget: target},
			}
			p.IntroducedBy = introduced(l.Name + "/" + l.Version)
			p.ComputeID()
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil, nil
}

func depsKeys(b []byte) map[string]bool {
	libs, _, err := ParseDeps(b)
	if err != nil {
		return nil
	}
	keys := make(map[string]bool, len(libs))
	for _, l := range libs {
		keys[l.Name+"/"+l.Version] = true
	}
	return keys
}
