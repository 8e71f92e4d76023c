// Package version compares package versions under the ordering rules of
// each packaging ecosystem, and maps OSV ecosystem names to those rules.
//
// Each scheme lives in its own package below this one (deb, rpm, apk,
// semver, pep440, maven, gem, nuget, composer) with Parse, Compare and
// String; this package wraps them behind one small interface so that the
// matcher can compare the version strings of an OSV record without knowing
// the scheme:
//
//	s, ok := version.ForEcosystem("Debian:12")
//	c, err := s.Compare("1:2.3.4-1+deb12u1", "1:2.3.4-1") // c == 1
//
// Every scheme is listed once, in Schemes; there is no registration.
package version

import (
	"github.com/plimsoll/plimsoll/internal/version/apk"
	"github.com/plimsoll/plimsoll/internal/version/composer"
	"github.com/plimsoll/plimsoll/internal/version/deb"
	"github.com/plimsoll/plimsoll/internal/version/gem"
	"github.com/plimsoll/plimsoll/internal/version/maven"
	"github.com/plimsoll/plimsoll/internal/version/nuget"
	"github.com/plimsoll/plimsoll/internal/version/pep440"
	"github.com/plimsoll/plimsoll/internal/version/rpm"
	"github.com/plimsoll/plimsoll/internal/version/semver"
)

// Scheme compares version strings of one versioning scheme.
type Scheme interface {
	// Name is the scheme's name, the same as its package's: "deb", "rpm"…
	Name() string
	// Compare parses a and b and returns -1, 0 or 1 as a sorts before,
	// equal to or after b. It fails if either does not parse.
	Compare(a, b string) (int, error)
	// Parse parses one version for comparing many times: a matcher tests one
	// installed version against thousands of range events, and parsing costs
	// more than comparing.
	Parse(s string) (Parsed, error)
}

// Parsed is a version parsed by a Scheme.
type Parsed interface {
	// Compare returns -1, 0 or 1 as the version sorts before, equal to or
	// after o. It panics if o comes from another scheme's Parse.
	Compare(o Parsed) int
}

// parsed adapts a scheme package's version type to Parsed.
type parsed[V interface{ Compare(V) int }] struct{ v V }

func (p parsed[V]) Compare(o Parsed) int { return p.v.Compare(o.(parsed[V]).v) }

// parse parses s with parse, as a Parsed.
func parse[V interface{ Compare(V) int }](parse func(string) (V, error), s string) (Parsed, error) {
	v, err := parse(s)
	if err != nil {
		return nil, err
	}
	return parsed[V]{v}, nil
}

// Schemes returns every version scheme, in a fixed order.
func Schemes() []Scheme {
	return []Scheme{Deb{}, RPM{}, APK{}, SemVer{}, PEP440{}, Maven{}, Gem{}, NuGet{}, Composer{}}
}

// Deb is the Debian (dpkg) scheme.
type Deb struct{}

// RPM is the RPM scheme.
type RPM struct{}

// APK is the Alpine apk-tools scheme.
type APK struct{}

// SemVer is the Semantic Versioning 2.0.0 scheme (npm, Go, crates.io).
type SemVer struct{}

// PEP440 is the Python (PyPI) scheme.
type PEP440 struct{}

// Maven is the Maven ComparableVersion scheme.
type Maven struct{}

// Gem is the RubyGems scheme.
type Gem struct{}

// NuGet is the NuGet scheme.
type NuGet struct{}

// Composer is the Composer (Packagist) scheme.
type Composer struct{}

var (
	_ Scheme = Deb{}
	_ Scheme = RPM{}
	_ Scheme = APK{}
	_ Scheme = SemVer{}
	_ Scheme = PEP440{}
	_ Scheme = Maven{}
	_ Scheme = Gem{}
	_ Scheme = NuGet{}
	_ Scheme = Composer{}
)

// Name returns "deb".
func (Deb) Name() string { return "deb" }

// Compare compares two Debian versions.
func (Deb) Compare(a, b string) (int, error) { return compare(deb.Parse, a, b) }

// Parse parses one deb version.
func (Deb) Parse(s string) (Parsed, error) { return parse(deb.Parse, s) }

// Name returns "rpm".
func (RPM) Name() string { return "rpm" }

// Compare compares two RPM versions.
func (RPM) Compare(a, b string) (int, error) { return compare(rpm.Parse, a, b) }

// Parse parses one rpm version.
func (RPM) Parse(s string) (Parsed, error) { return parse(rpm.Parse, s) }

// Name returns "apk".
func (APK) Name() string { return "apk" }

// Compare compares two apk versions.
func (APK) Compare(a, b string) (int, error) { return compare(apk.Parse, a, b) }

// Parse parses one apk version.
func (APK) Parse(s string) (Parsed, error) { return parse(apk.Parse, s) }

// Name returns "semver".
func (SemVer) Name() string { return "semver" }

// Compare compares two semantic versions.
func (SemVer) Compare(a, b string) (int, error) { return compare(semver.Parse, a, b) }

// Parse parses one semantic version.
func (SemVer) Parse(s string) (Parsed, error) { return parse(semver.Parse, s) }

// Name returns "pep440".
func (PEP440) Name() string { return "pep440" }

// Compare compares two PEP 440 versions.
func (PEP440) Compare(a, b string) (int, error) { return compare(pep440.Parse, a, b) }

// Parse parses one pep440 version.
func (PEP440) Parse(s string) (Parsed, error) { return parse(pep440.Parse, s) }

// Name returns "maven".
func (Maven) Name() string { return "maven" }

// Compare compares two Maven versions.
func (Maven) Compare(a, b string) (int, error) { return compare(maven.Parse, a, b) }

// Parse parses one maven version.
func (Maven) Parse(s string) (Parsed, error) { return parse(maven.Parse, s) }

// Name returns "gem".
func (Gem) Name() string { return "gem" }

// Compare compares two RubyGems versions.
func (Gem) Compare(a, b string) (int, error) { return compare(gem.Parse, a, b) }

// Parse parses one gem version.
func (Gem) Parse(s string) (Parsed, error) { return parse(gem.Parse, s) }

// Name returns "nuget".
func (NuGet) Name() string { return "nuget" }

// Compare compares two NuGet versions.
func (NuGet) Compare(a, b string) (int, error) { return compare(nuget.Parse, a, b) }

// Parse parses one nuget version.
func (NuGet) Parse(s string) (Parsed, error) { return parse(nuget.Parse, s) }

// Name returns "composer".
func (Composer) Name() string { return "composer" }

// Compare compares two Composer versions.
func (Composer) Compare(a, b string) (int, error) { return compare(composer.Parse, a, b) }

// Parse parses one composer version.
func (Composer) Parse(s string) (Parsed, error) { return parse(composer.Parse, s) }

// compare parses both versions with parse and compares them. The parse
// errors already name the scheme and the input.
func compare[V interface{ Compare(V) int }](parse func(string) (V, error), a, b string) (int, error) {
	va, err := parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := parse(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}
