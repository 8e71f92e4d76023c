// Package rpm catalogs packages from the rpm database, with the files each package
// owns: its SQLite form (rpmdb.sqlite, rpm 4.16 and later: RHEL, UBI, Rocky and
// Alma 9, Fedora 33+, Amazon Linux 2023), its Berkeley DB form (Packages:
// RHEL/CentOS 7 and 8, Amazon Linux 2) and its NDB form (Packages.db: SUSE).
package rpm

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strconv"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/internal/spdx"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// The database directories rpm uses.
var dbDirs = []string{"/var/lib/rpm", "/usr/lib/sysimage/rpm"}

// Cataloger finds rpm packages.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the rpm cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "rpm".
func (*Cataloger) Name() string { return "rpm" }

// Requests asks for the SQLite, Berkeley DB and NDB databases.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{Paths: Databases()}}
}

// readDB returns the header blobs of a database by its file name. A damaged
// database may give some blobs with an error.
func readDB(ctx context.Context, p string, b []byte) ([][]byte, error) {
	switch path.Base(p) {
	case "Packages":
		return ReadBDB(b)
	case "Packages.db":
		return ReadNDB(b)
	}
	return ReadSQLite(ctx, b)
}

// superseded names, for each database file, the ones that rpm reads instead when
// they are in the same directory: what a migration to another form left behind.
var superseded = map[string][]string{
	"Packages":    {"rpmdb.sqlite", "Packages.db"},
	"Packages.db": {"rpmdb.sqlite"},
}

func stale(in *catalog.Input, p string) bool {
	return Superseded(p, func(q string) bool { _, ok := in.FS.Lookup(q); return ok })
}

// Catalog reads every rpm database but those left behind by a migration.
func (*Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	var pkgs []sbom.Package
	var rels []sbom.Relationship
	for _, f := range in.Files() {
		if stale(in, f.Path) {
			continue
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		blobs, err := readDB(ctx, f.Path, b)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			in.Warn(f.Path, err) // the packages still readable in it are cataloged
		}
		if len(blobs) == 0 {
			continue
		}
		introduced := in.Introductions(f, func(b []byte) map[string]bool { return dbKeys(ctx, f.Path, b) })
		for i, blob := range blobs {
			h, err := ParseHeader(blob)
			if err != nil {
				if len(blob) > 8 { // Berkeley DB keeps a 4-byte record counter beside the headers
					in.Warnf(f.Path, "package %d: %w", i+1, err)
				}
				continue
			}
			p := newPackage(in, f.Path, h)
			p.IntroducedBy = introduced(key(h))
			p.ComputeID()
			n := 0
			for _, file := range h.Files {
				if fi, ok := in.FS.Lookup(file); ok && fi.Type != layerfs.Dir {
					rels = append(rels, sbom.Relationship{From: p.ID, To: file, Type: sbom.Contains})
					n++
				}
			}
			p.Metadata.(*sbom.RpmMetadata).Files = n
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, rels, nil
}

func key(h Package) string { return h.Name + "\x00" + evr(h) + "\x00" + h.Arch }

func dbKeys(ctx context.Context, p string, b []byte) map[string]bool {
	blobs, _ := readDB(ctx, p, b)
	if len(blobs) == 0 {
		return nil
	}
	keys := map[string]bool{}
	for _, blob := range blobs {
		if h, err := ParseHeader(blob); err == nil {
			keys[key(h)] = true
		}
	}
	return keys
}

// evr is the version as rpm prints it: [epoch:]version-release.
func evr(h Package) string {
	v := h.Version
	if h.Release != "" {
		v += "-" + h.Release
	}
	if h.Epoch != nil && *h.Epoch != 0 {
		v = strconv.Itoa(*h.Epoch) + ":" + v
	}
	return v
}

func newPackage(in *catalog.Input, evidence string, h Package) sbom.Package {
	lic := spdx.Split(h.License)
	slices.Sort(lic)
	return sbom.Package{
		Name: h.Name, Version: evr(h), Type: sbom.TypeRPM, PURL: purl(in.Distro, h),
		Licenses: slices.Compact(lic), Locations: []sbom.Location{in.Location(evidence)},
		Metadata: &sbom.RpmMetadata{Epoch: h.Epoch, Release: h.Release, Architecture: h.Arch,
			SourceRPM: h.SourceRPM, Vendor: h.Vendor, Size: h.Size, ModularityLabel: h.Modularity},
	}
}

// purl is pkg:rpm/<distro>/<name>@<version>-<release>?arch=…&epoch=…&distro=…&upstream=<source rpm>.
func purl(d *sbom.Distro, h Package) string {
	ns, distro := "redhat", ""
	if d != nil && d.ID != "" {
		ns, distro = d.ID, d.ID
		if d.VersionID != "" {
			distro += "-" + d.VersionID
		}
	}
	var q packageurl.Qualifiers
	if h.Arch != "" {
		q = append(q, packageurl.Qualifier{Key: "arch", Value: h.Arch})
	}
	if distro != "" {
		q = append(q, packageurl.Qualifier{Key: "distro", Value: distro})
	}
	if h.Epoch != nil && *h.Epoch != 0 {
		q = append(q, packageurl.Qualifier{Key: "epoch", Value: fmt.Sprint(*h.Epoch)})
	}
	if h.SourceRPM != "" {
		q = append(q, packageurl.Qualifier{Key: "upstream", Value: h.SourceRPM})
	}
	v := h.Version
	if h.Release != "" {
		v += "-" + h.Release
	}
	return packageurl.NewPackageURL("rpm", ns, h.Name, v, q, "").ToString()
}
