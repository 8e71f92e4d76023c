// Package golang catalogs the modules compiled into Go binaries, from the build
// information the Go toolchain embeds (debug/buildinfo): the main module, every
// dependency (replacements applied), and the toolchain as the "stdlib" module.
//
// Only executables of at least MinSize bytes are read: the smallest Go binary is
// larger, and the floor keeps shell scripts and small C tools out of memory.
package golang

import (
	"archive/tar"
	"context"
	"errors"
	"path"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// MinSize is the smallest executable read: a Go "hello, world" is over 1 MiB.
const MinSize = 512 << 10

// Cataloger finds Go modules in binaries.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the Go binary cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "go-binary".
func (*Cataloger) Name() string { return "go-binary" }

// Requests asks for regular files with an execute bit, of at least MinSize bytes,
// reduced to their build information while the layer streams (ScanBuildInfo): no
// executable is ever held whole.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{
		Match: func(_ string, h *tar.Header) bool {
			return (h.Typeflag == tar.TypeReg || h.Typeflag == tar.TypeRegA) && h.Mode&0o111 != 0 && h.Size >= MinSize
		},
		ReduceStream: ReduceStream,
	}}
}

// Catalog reads the build information of every candidate executable; those that
// are not Go binaries are skipped without a warning.
func (*Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	var pkgs []sbom.Package
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		content, err := in.ReadFile(f.Path)
		if errors.Is(err, layerfs.ErrNotHeld) {
			continue // reduced to nothing: not a Go binary (or over the cap, which layerfs reported)
		}
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		bin, ok := ReadBinary(content)
		if !ok {
			continue
		}
		introduced := in.Introductions(f, binaryKeys)
		mods := append([]Module{bin.Main}, bin.Deps...)
		mods = append(mods, Module{Path: "stdlib", Version: stdlibVersion(bin.GoVersion)})
		for _, m := range mods {
			if m.Path == "" || m.Version == "" {
				continue
			}
			purlVersion := m.Version
			if m.Path == "stdlib" {
				purlVersion = strings.TrimPrefix(m.Version, "go") // as OSV's Go ecosystem versions it
			}
			p := sbom.Package{
				Name: m.Path, Version: m.Version, Type: sbom.TypeGoModule, PURL: purl(m.Path, purlVersion),
				Locations: []sbom.Location{in.Location(f.Path)},
				Metadata: &sbom.GoModuleMetadata{GoVersion: bin.GoVersion, MainModule: bin.Main.Path,
					Sum: m.Sum, Replace: m.Replace, GOOS: bin.GOOS, GOARCH: bin.GOARCH},
			}
			p.IntroducedBy = introduced(m.Path + "@" + m.Version)
			p.ComputeID()
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil, nil
}

// binaryKeys lists the path@version of every module one version of a binary holds.
func binaryKeys(content []byte) map[string]bool {
	bin, ok := ReadBinary(content)
	if !ok {
		return nil
	}
	keys := map[string]bool{bin.Main.Path + "@" + bin.Main.Version: true, "stdlib@" + stdlibVersion(bin.GoVersion): true}
	for _, d := range bin.Deps {
		keys[d.Path+"@"+d.Version] = true
	}
	return keys
}

// purl is pkg:golang/<module path>@<version>; the path's last element is the name.
func purl(modPath, version string) string {
	ns, name := path.Split(modPath)
	return packageurl.NewPackageURL(packageurl.TypeGolang, strings.TrimSuffix(ns, "/"), name, version, nil, "").ToString()
}
