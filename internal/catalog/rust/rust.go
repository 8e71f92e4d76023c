// Package rust catalogs the crates compiled into Rust binaries built with
// cargo-auditable, from the dependency list it embeds in the .dep-v0 section.
// Build-time dependencies (kind "build") are not linked into the binary and are
// not reported.
package rust

import (
	"archive/tar"
	"context"
	"errors"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// MinSize is the smallest executable read.
const MinSize = 4 << 10

// Cataloger finds crates in Rust binaries.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the Rust binary cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "rust-binary".
func (*Cataloger) Name() string { return "rust-binary" }

// Requests asks for regular files with an execute bit, of at least MinSize bytes,
// each reduced to its .dep-v0 section while its layer streams.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{
		Match: func(_ string, h *tar.Header) bool {
			return (h.Typeflag == tar.TypeReg || h.Typeflag == tar.TypeRegA) && h.Mode&0o111 != 0 && h.Size >= MinSize
		},
		Reduce: Reduce, // keep the .dep-v0 section, not the executable
	}}
}

// Catalog reads the audit data of every candidate executable; executables without
// it are skipped silently, a corrupt section is a warning.
func (*Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	var pkgs []sbom.Package
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		content, err := in.ReadFile(f.Path)
		if errors.Is(err, layerfs.ErrNotHeld) {
			continue // reduced to nothing: no cargo-auditable data (or over the cap, which layerfs reported)
		}
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		crates, err := ReadAudit(content)
		if errors.Is(err, errNoAudit) {
			continue
		}
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		introduced := in.Introductions(f, func(b []byte) map[string]bool {
			keys := map[string]bool{}
			old, _ := ReadAudit(b)
			for _, c := range old {
				keys[c.Name+"@"+c.Version] = true
			}
			return keys
		})
		for _, c := range crates {
			if c.Kind == "build" {
				continue
			}
			p := sbom.Package{
				Name: c.Name, Version: c.Version, Type: sbom.TypeRustCrate,
				PURL:      packageurl.NewPackageURL(packageurl.TypeCargo, "", c.Name, c.Version, nil, "").ToString(),
				Locations: []sbom.Location{in.Location(f.Path)},
				Metadata:  &sbom.RustMetadata{Source: c.Source, Root: c.Root},
			}
			p.IntroducedBy = introduced(c.Name + "@" + c.Version)
			p.ComputeID()
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil, nil
}
