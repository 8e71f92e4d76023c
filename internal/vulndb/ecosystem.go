package vulndb

import (
	"regexp"
	"strings"
)

// Ecosystem names as OSV spells them.
const (
	EcoAlmaLinux  = "AlmaLinux"
	EcoAlpine     = "Alpine"
	EcoChainguard = "Chainguard"
	EcoCrates     = "crates.io"
	EcoDebian     = "Debian"
	EcoGo         = "Go"
	EcoMaven      = "Maven"
	EcoNpm        = "npm"
	EcoNuGet      = "NuGet"
	EcoOpenSUSE   = "openSUSE"
	EcoPackagist  = "Packagist"
	EcoPyPI       = "PyPI"
	EcoRedHat     = "Red Hat"
	EcoRocky      = "Rocky Linux"
	EcoRubyGems   = "RubyGems"
	EcoSUSE       = "SUSE"
	EcoUbuntu     = "Ubuntu"
	EcoWolfi      = "Wolfi"
)

// DefaultEcosystems are the ecosystems fetched from OSV unless told otherwise.
var DefaultEcosystems = []string{
	EcoDebian, EcoUbuntu, EcoAlpine, EcoRedHat, EcoRocky, EcoAlmaLinux, EcoSUSE, EcoOpenSUSE,
	EcoWolfi, EcoChainguard, EcoNpm, EcoPyPI, EcoGo, EcoMaven, EcoRubyGems, EcoCrates,
	EcoPackagist, EcoNuGet,
}

// knownEcosystems maps a lower-case spelling or common alias to OSV's name.
var knownEcosystems = map[string]string{
	"almalinux": EcoAlmaLinux, "alma": EcoAlmaLinux,
	"alpine": EcoAlpine, "chainguard": EcoChainguard,
	"crates.io": EcoCrates, "cargo": EcoCrates, "crates": EcoCrates,
	"debian": EcoDebian, "go": EcoGo, "golang": EcoGo,
	"maven": EcoMaven, "npm": EcoNpm, "nuget": EcoNuGet,
	"opensuse": EcoOpenSUSE, "packagist": EcoPackagist, "composer": EcoPackagist,
	"pypi": EcoPyPI, "red hat": EcoRedHat, "redhat": EcoRedHat, "rhel": EcoRedHat,
	"rocky linux": EcoRocky, "rocky": EcoRocky, "rubygems": EcoRubyGems, "gem": EcoRubyGems,
	"suse": EcoSUSE, "ubuntu": EcoUbuntu, "wolfi": EcoWolfi,
	"android": "Android", "bitnami": "Bitnami", "cran": "CRAN", "git": "GIT",
	"github actions": "GitHub Actions", "hackage": "Hackage", "hex": "Hex", "linux": "Linux",
	"mageia": "Mageia", "oss-fuzz": "OSS-Fuzz", "photon os": "Photon OS", "pub": "Pub",
	"swifturl": "SwiftURL", "openeuler": "openEuler", "minimos": "MinimOS",
}

var debianCodenames = map[string]string{
	"wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10",
	"bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14",
}

var (
	alpineRelease = regexp.MustCompile(`^[vV]?(\d+\.\d+)(\.\d+)?$`)
	majorRelease  = regexp.MustCompile(`^(\d+)(\.\d+)*$`)
	ubuntuLTS     = regexp.MustCompile(`^(\d\d)\.04$`)
	pep503        = regexp.MustCompile(`[-_.]+`)
)

// NormalizeEcosystem returns OSV's spelling of an ecosystem, with its release
// suffix in the form OSV uses: "debian:bookworm" and "Debian:12.4" become
// "Debian:12", "alpine:3.19.1" becomes "Alpine:v3.19", "ubuntu:22.04" becomes
// "Ubuntu:22.04:LTS", "rocky linux:9.3" becomes "Rocky Linux:9". Unknown
// ecosystems are returned trimmed but otherwise unchanged.
func NormalizeEcosystem(eco string) string {
	base, release, hasRelease := strings.Cut(strings.TrimSpace(eco), ":")
	base = strings.TrimSpace(base)
	if canon, ok := knownEcosystems[strings.ToLower(base)]; ok {
		base = canon
	}
	if !hasRelease {
		return base
	}
	release = strings.TrimSpace(release)
	switch base {
	case EcoAlpine:
		if m := alpineRelease.FindStringSubmatch(release); m != nil {
			release = "v" + m[1]
		}
	case EcoDebian:
		if n, ok := debianCodenames[strings.ToLower(release)]; ok {
			release = n
		} else if m := majorRelease.FindStringSubmatch(release); m != nil {
			release = m[1]
		}
	case EcoRocky, EcoAlmaLinux:
		if m := majorRelease.FindStringSubmatch(release); m != nil {
			release = m[1]
		}
	case EcoUbuntu:
		release = normalizeUbuntu(release)
	}
	if release == "" {
		return base
	}
	return base + ":" + release
}

// normalizeUbuntu spells Ubuntu releases as OSV does: "22.04:LTS", "Pro:18.04:LTS".
func normalizeUbuntu(release string) string {
	parts := strings.Split(release, ":")
	for i, p := range parts {
		switch strings.ToLower(p) {
		case "lts":
			parts[i] = "LTS"
		case "pro":
			parts[i] = "Pro"
		}
	}
	last := parts[len(parts)-1]
	if ubuntuLTS.MatchString(last) {
		parts = append(parts, "LTS")
	}
	return strings.Join(parts, ":")
}

// BaseEcosystem returns the ecosystem without its release: "Debian:12" → "Debian".
func BaseEcosystem(eco string) string {
	base, _, _ := strings.Cut(NormalizeEcosystem(eco), ":")
	return base
}

// NormalizeName returns the form of a package name under which it is stored and
// looked up in ecosystem eco:
//   - PyPI: PEP 503 (lower case, runs of "-", "_", "." become one "-");
//   - NuGet and Packagist: lower case (both registries ignore case);
//   - crates.io: lower case with "_" as "-" (crates.io refuses names that differ only so);
//   - npm, Go, Maven (group:artifact), RubyGems and the distributions: exact, since
//     their registries are case-sensitive (npm's legacy "JSONStream" and
//     "jsonstream" are two packages).
//
// Surrounding white space is always removed.
func NormalizeName(eco, name string) string {
	name = strings.TrimSpace(name)
	switch BaseEcosystem(eco) {
	case EcoPyPI:
		return pep503.ReplaceAllString(strings.ToLower(name), "-")
	case EcoNuGet, EcoPackagist:
		return strings.ToLower(name)
	case EcoCrates:
		return strings.ReplaceAll(strings.ToLower(name), "_", "-")
	}
	return name
}
