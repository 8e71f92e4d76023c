package vulndb

import (
	"fmt"
	"net/url"
	"strings"
)

// purlTypes maps a package URL type to its OSV ecosystem.
var purlTypes = map[string]string{
	"pypi": EcoPyPI, "npm": EcoNpm, "golang": EcoGo, "maven": EcoMaven, "nuget": EcoNuGet,
	"gem": EcoRubyGems, "cargo": EcoCrates, "composer": EcoPackagist, "apk": EcoAlpine,
	"deb": EcoDebian, "rpm": EcoRedHat, "hex": "Hex", "pub": "Pub", "hackage": "Hackage",
	"cran": "CRAN", "swift": "SwiftURL",
}

// rpmVendors maps an rpm purl namespace to its ecosystem.
var rpmVendors = map[string]string{
	"redhat": EcoRedHat, "rocky": EcoRocky, "rocky-linux": EcoRocky, "almalinux": EcoAlmaLinux,
	"suse": EcoSUSE, "opensuse": EcoOpenSUSE,
}

// PackageFromPURL returns the OSV ecosystem and package name a package URL
// names, and its version ("" when absent). Distribution packages take their
// release from the distro qualifier: pkg:deb/debian/openssl?distro=debian-12
// is ("Debian:12", "openssl").
func PackageFromPURL(purl string) (ecosystem, name, version string, err error) {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return "", "", "", fmt.Errorf("package url %q does not start with pkg:", purl)
	}
	rest, _, _ = strings.Cut(rest, "#")
	rest, query, _ := strings.Cut(rest, "?")
	typ, path, ok := strings.Cut(strings.TrimLeft(rest, "/"), "/")
	if !ok || path == "" {
		return "", "", "", fmt.Errorf("package url %q has no name", purl)
	}
	typ = strings.ToLower(typ)
	if i := strings.LastIndex(path, "@"); i > 0 && !strings.HasSuffix(path[:i], "/") {
		if version, err = url.PathUnescape(path[i+1:]); err != nil {
			return "", "", "", fmt.Errorf("package url %q: %w", purl, err)
		}
		path = path[:i]
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if segs[i], err = url.PathUnescape(s); err != nil {
			return "", "", "", fmt.Errorf("package url %q: %w", purl, err)
		}
	}
	ns, pkg := strings.Join(segs[:len(segs)-1], "/"), segs[len(segs)-1]
	eco, ok := purlTypes[typ]
	if !ok {
		return "", "", "", fmt.Errorf("package url type %q has no OSV ecosystem", typ)
	}
	q, _ := url.ParseQuery(query)
	switch typ {
	case "npm", "golang", "composer", "swift":
		name = joinNonEmpty("/", ns, pkg)
	case "maven":
		name = joinNonEmpty(":", ns, pkg)
	case "deb", "apk", "rpm":
		name = pkg
		if typ == "deb" && strings.EqualFold(ns, "ubuntu") {
			eco = EcoUbuntu
		}
		if typ == "apk" && strings.EqualFold(ns, "wolfi") {
			eco = EcoWolfi
		} else if typ == "apk" && strings.EqualFold(ns, "chainguard") {
			eco = EcoChainguard
		}
		if typ == "rpm" {
			if v, ok := rpmVendors[strings.ToLower(ns)]; ok {
				eco = v
			}
		}
		if d := q.Get("distro"); d != "" {
			eco += ":" + distroRelease(d)
		}
	default:
		name = pkg
	}
	return NormalizeEcosystem(eco), name, version, nil
}

// distroRelease turns a purl distro qualifier ("debian-12", "alpine-3.19.1",
// "bookworm") into a release.
func distroRelease(d string) string {
	if i := strings.LastIndex(d, "-"); i >= 0 {
		return d[i+1:]
	}
	return d
}

func joinNonEmpty(sep, a, b string) string {
	if a == "" {
		return b
	}
	return a + sep + b
}
