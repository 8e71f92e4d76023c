// Package php catalogs PHP packages Composer installed, from
// vendor/composer/installed.json (Composer 1 and 2).
package php

import (
	"archive/tar"
	"context"
	"slices"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/internal/spdx"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Cataloger finds Composer packages.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the PHP cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "php-composer".
func (*Cataloger) Name() string { return "php-composer" }

// Requests asks for every vendor/composer/installed.json.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{Match: func(p string, _ *tar.Header) bool {
		return strings.HasSuffix(p, "/vendor/composer/installed.json")
	}}}
}

// Catalog reads every installed.json.
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
		installed, err := ParseInstalled(b)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		introduced := in.Introductions(f, installedKeys)
		for _, i := range installed {
			var lic []string
			for _, l := range i.License {
				lic = append(lic, spdx.Split(l)...)
			}
			slices.Sort(lic)
			p := sbom.Package{
				Name: i.Name, Version: i.Version, Type: sbom.TypeComposer, PURL: purl(i.Name, i.Version),
				Licenses: slices.Compact(lic), Locations: []sbom.Location{in.Location(f.Path)}, Dev: i.Dev,
				Metadata: &sbom.ComposerMetadata{Homepage: i.Homepage, InstallPath: i.InstallPath},
			}
			p.IntroducedBy = introduced(i.Name + "@" + i.Version)
			p.ComputeID()
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil, nil
}

func installedKeys(b []byte) map[string]bool {
	installed, err := ParseInstalled(b)
	if err != nil {
		return nil
	}
	keys := make(map[string]bool, len(installed))
	for _, i := range installed {
		keys[i.Name+"@"+i.Version] = true
	}
	return keys
}

// purl is pkg:composer/vendor/name@version.
func purl(name, version string) string {
	ns, n, ok := strings.Cut(name, "/")
	if !ok {
		ns, n = "", name
	}
	return packageurl.NewPackageURL(packageurl.TypeComposer, ns, n, version, nil, "").ToString()
}
