package sbom

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// Type is a package's ecosystem.
type Type string

// The package types plimsoll catalogs.
const (
	TypeDeb         Type = "deb"
	TypeApk         Type = "apk"
	TypeRPM         Type = "rpm"
	TypeNpm         Type = "npm"
	TypePython      Type = "python"
	TypeGoModule    Type = "go-module"
	TypeJavaArchive Type = "java-archive"
	TypeGem         Type = "gem"
	TypeRustCrate   Type = "rust-crate"
	TypeComposer    Type = "php-composer"
	TypeDotnet      Type = "dotnet"
)

// IsOS reports whether packages of the type are installed by the distribution's
// package manager.
func (t Type) IsOS() bool { return t == TypeDeb || t == TypeApk || t == TypeRPM }

// Package is one package found in the image.
type Package struct {
	// ID is stable: derived from type, name, version and the first location, so
	// the same package in the same place always has the same ID.
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Version  string   `json:"version"`
	Type     Type     `json:"type"`
	PURL     string   `json:"purl,omitempty"`
	Licenses []string `json:"licenses,omitempty"` // SPDX identifiers where known, else as declared
	// Locations are where the evidence was found; the first is the primary one.
	Locations []Location `json:"locations"`
	// IntroducedBy is the index of the earliest layer from which this package's
	// evidence persists, unchanged in what it says of the package, to the final
	// image: the layer that brought this exact package.
	IntroducedBy int `json:"introducedBy"`
	// Squashed reports, in an all-layers catalogue (Source.Scope "all-layers"),
	// whether the final image still holds the package; nil in a squashed one,
	// where every package is in the final image.
	Squashed *bool `json:"squashed,omitempty"`
	// RemovedBy is the layer that deleted or replaced the package's evidence,
	// for a package the final image no longer holds (Squashed false); 0 otherwise
	// (layer 0 removes nothing: nothing is below it).
	RemovedBy int `json:"removedBy,omitempty"`
	// Dev marks a development-only dependency (from a lockfile).
	Dev bool `json:"dev,omitempty"`
	// Cataloger names the cataloger that found the package.
	Cataloger string `json:"cataloger"`
	// Metadata is the ecosystem's own facts: *DpkgMetadata, *ApkMetadata,
	// *NpmMetadata, *PythonMetadata…
	Metadata Metadata `json:"-"`
}

// Location is a file that is evidence of a package.
type Location struct {
	Path   string `json:"path"`
	Layer  int    `json:"layer"` // index of the layer the visible file came from
	DiffID string `json:"diffID,omitempty"`
}

// ComputeID derives the package's stable ID and stores it.
func (p *Package) ComputeID() {
	h := sha256.New()
	loc := ""
	if len(p.Locations) > 0 {
		loc = p.Locations[0].Path
	}
	for _, s := range []string{string(p.Type), p.Name, p.Version, loc} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	p.ID = hex.EncodeToString(h.Sum(nil)[:8])
}

// InFinalImage reports whether the final image holds the package: false only
// for a package an all-layers catalogue found in a layer whose files a later
// layer deleted or replaced.
func (p *Package) InFinalImage() bool { return p.Squashed == nil || *p.Squashed }

func (p *Package) sortFields() {
	slices.Sort(p.Licenses)
	p.Licenses = slices.Compact(p.Licenses)
	if len(p.Locations) > 1 {
		rest := p.Locations[1:]
		slices.SortFunc(rest, func(a, b Location) int {
			return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Layer, b.Layer))
		})
		p.Locations = append(p.Locations[:1], slices.Compact(rest)...)
	}
}

// ComparePackages orders packages by type, name, version, primary location and ID.
func ComparePackages(a, b Package) int {
	return cmp.Or(
		cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Version, b.Version),
		cmp.Compare(primaryPath(a), primaryPath(b)),
		cmp.Compare(a.ID, b.ID),
	)
}

func primaryPath(p Package) string {
	if len(p.Locations) == 0 {
		return ""
	}
	return p.Locations[0].Path
}
