// Package ruby catalogs installed Ruby gems from their specifications:
// …/specifications/*.gemspec (gem install, bundler, Debian's rubygems-integration)
// and …/specifications/default/*.gemspec (default gems shipped with Ruby).
package ruby

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

// Cataloger finds Ruby gems.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the Ruby cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "ruby".
func (*Cataloger) Name() string { return "ruby" }

// Requests asks for installed gem specifications.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{Match: func(p string, _ *tar.Header) bool { return isSpec(p) }}}
}

func isSpec(p string) bool {
	if !strings.HasSuffix(p, ".gemspec") {
		return false
	}
	dir := path.Dir(p)
	if path.Base(dir) == "default" {
		dir = path.Dir(dir)
	}
	return path.Base(dir) == "specifications"
}

// Catalog reads every specification.
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
		s, err := ParseGemspec(b)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		var lic []string
		for _, l := range s.Licenses {
			lic = append(lic, spdx.Split(l)...)
		}
		slices.Sort(lic)
		p := sbom.Package{
			Name: s.Name, Version: s.Version, Type: sbom.TypeGem,
			PURL:      packageurl.NewPackageURL(packageurl.TypeGem, "", s.Name, s.Version, nil, "").ToString(),
			Licenses:  slices.Compact(lic),
			Locations: []sbom.Location{in.Location(f.Path)},
			Metadata: &sbom.GemMetadata{Authors: s.Authors, Homepage: s.Homepage,
				Default: path.Base(path.Dir(f.Path)) == "default"},
		}
		p.IntroducedBy = catalog.IntroducedBy(in.Versions(f.Path), f.Layer, func(v catalog.Version) bool {
			old, err := ParseGemspec(v.Content)
			return err == nil && old.Name == s.Name && old.Version == s.Version
		})
		p.ComputeID()
		pkgs = append(pkgs, p)
	}
	return pkgs, nil, nil
}
