// Package java catalogs Java archives (.jar, .war, .ear, .jpi, .hpi) and the
// archives nested in them, within depth, size and compression-ratio limits: every
// META-INF/maven/…/pom.properties is a package; an archive without one is
// identified by its MANIFEST.MF, then its file name.
package java

import (
	"archive/tar"
	"context"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Cataloger finds Java packages.
type Cataloger struct {
	limits Limits
}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the Java cataloger with DefaultLimits.
func New() *Cataloger { return &Cataloger{limits: DefaultLimits()} }

// Name is "java-archive".
func (*Cataloger) Name() string { return "java-archive" }

// Requests asks for every Java archive, each read while its layer streams and
// reduced to the artifacts found in it: one archive per layer walker is in memory
// at a time.
func (c *Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{
		Match:  func(p string, _ *tar.Header) bool { return isArchiveName(p) },
		Reduce: c.reducer,
	}}
}

// Catalog reads every archive and the archives nested in it.
func (c *Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	var pkgs []sbom.Package
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		content, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		arts, problems := c.read(f.Path, content)
		for _, p := range problems {
			in.Warn(f.Path, p)
		}
		introduced := in.Introductions(f, func(b []byte) map[string]bool {
			old, _ := c.read(f.Path, b)
			keys := map[string]bool{}
			for _, a := range old {
				keys[key(a)] = true
			}
			return keys
		})
		for _, a := range arts {
			p := sbom.Package{
				Name: a.ArtifactID, Version: a.Version, Type: sbom.TypeJavaArchive,
				PURL:      packageurl.NewPackageURL(packageurl.TypeMaven, a.GroupID, a.ArtifactID, a.Version, nil, "").ToString(),
				Locations: []sbom.Location{in.Location(f.Path)},
				Metadata:  &sbom.JavaMetadata{GroupID: a.GroupID, VirtualPath: a.VirtualPath, FromPom: a.FromPom},
			}
			p.IntroducedBy = introduced(key(a))
			p.ComputeID()
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil, nil
}

func key(a Artifact) string {
	return a.VirtualPath + "\x00" + a.GroupID + ":" + a.ArtifactID + "@" + a.Version
}
