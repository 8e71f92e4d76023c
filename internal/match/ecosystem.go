package match

import (
	"regexp"
	"strings"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// distroEcosystems maps os-release IDs to OSV ecosystem names.
var distroEcosystems = map[string]string{
	"debian":        "Debian",
	"ubuntu":        "Ubuntu",
	"alpine":        "Alpine",
	"rocky":         "Rocky Linux",
	"almalinux":     "AlmaLinux",
	"rhel":          "Red Hat",
	"sles":          "SUSE",
	"opensuse-leap": "openSUSE",
	"wolfi":         "Wolfi",
	"chainguard":    "Chainguard",
	"amzn":          "Amazon Linux",
}

// rolling distributions have one ecosystem without a release.
var rolling = map[string]bool{"Wolfi": true, "Chainguard": true}

// OSEcosystem returns the OSV ecosystem of a distribution's packages, such as
// "Debian:12" or "Alpine:v3.19", and false for a distribution OSV does not cover
// or a release it cannot name.
func OSEcosystem(d *sbom.Distro) (string, bool) {
	if d == nil {
		return "", false
	}
	base, ok := distroEcosystems[strings.ToLower(d.ID)]
	if !ok {
		return "", false
	}
	if rolling[base] {
		return base, true
	}
	release := d.VersionID
	if release == "" && base == "Debian" {
		release = d.Codename
	}
	if release == "" {
		return "", false
	}
	if base == "openSUSE" {
		release = "Leap " + release
	}
	return vulndb.NormalizeEcosystem(base + ":" + release), true
}

// languageEcosystems maps language package types to OSV ecosystems.
var languageEcosystems = map[sbom.Type]string{
	sbom.TypeNpm:         "npm",
	sbom.TypePython:      "PyPI",
	sbom.TypeGoModule:    "Go",
	sbom.TypeJavaArchive: "Maven",
	sbom.TypeGem:         "RubyGems",
	sbom.TypeRustCrate:   "crates.io",
	sbom.TypeComposer:    "Packagist",
	sbom.TypeDotnet:      "NuGet",
}

// query is one lookup to make for a package: the ecosystem, the advisory's name
// for it, and the version to test.
type query struct {
	ecosystem, name, version string
	os                       bool
}

// queries returns the lookups for a package: an OS package by its source package
// (advisories name source packages) and, when that differs, by its binary name; a
// language package in its ecosystem.
func queries(p *sbom.Package, osEco string) []query {
	if p.Type.IsOS() {
		if osEco == "" {
			return nil
		}
		src, srcVersion := sourceOf(p)
		qs := []query{{ecosystem: osEco, name: src, version: srcVersion, os: true}}
		if src != p.Name {
			qs = append(qs, query{ecosystem: osEco, name: p.Name, version: p.Version, os: true})
		}
		return qs
	}
	eco, ok := languageEcosystems[p.Type]
	if !ok {
		return nil
	}
	v := p.Version
	if p.Type == sbom.TypeGoModule && p.Name == "stdlib" {
		v = GoToolchainVersion(v)
	}
	return []query{{ecosystem: eco, name: p.Name, version: v}}
}

var goToolchain = regexp.MustCompile(`^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?`)

// GoToolchainVersion turns a Go toolchain version as binaries record it ("go1.21.3",
// "go1.22rc2", "go1.20", "go1.21.0 X:boringcrypto") into the SemVer form the Go
// vulnerability database uses for stdlib ("1.21.3", "1.22.0-rc.2", "1.20.0").
// Anything else is returned unchanged.
func GoToolchainVersion(v string) string {
	m := goToolchain.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return v
	}
	patch := m[3]
	if patch == "" {
		patch = "0"
	}
	out := m[1] + "." + m[2] + "." + patch
	if m[4] != "" {
		out += "-" + m[4] + "." + m[5]
	}
	return out
}

// sourceOf returns the source package and its version for an OS package.
func sourceOf(p *sbom.Package) (name, version string) {
	name, version = p.Name, p.Version
	switch m := p.Metadata.(type) {
	case *sbom.DpkgMetadata:
		if m.Source != "" {
			name = m.Source
		}
		if m.SourceVersion != "" {
			version = m.SourceVersion
		}
	case *sbom.ApkMetadata:
		if m.Origin != "" {
			name = m.Origin
		}
	}
	return name, version
}

// LanguageEcosystem returns the OSV ecosystem of a language package type, and
// false for OS package types and types no ecosystem covers.
func LanguageEcosystem(t sbom.Type) (string, bool) {
	eco, ok := languageEcosystems[t]
	return eco, ok
}
