// Package semver implements Semantic Versioning 2.0.0 precedence, as used by
// npm, Go modules, crates.io and other ecosystems whose OSV records carry
// SemVer versions.
//
// Precedence (SemVer 2.0.0 §11): major, minor and patch compare numerically; a
// pre-release sorts before the release; pre-release identifiers compare left
// to right, numeric ones numerically and below alphanumeric ones, which
// compare in ASCII order; a shorter run of equal identifiers sorts first.
// Build metadata ("+…") is ignored, so Go's "+incompatible" and a crate's
// "+build" do not affect the order. Go pseudo-versions
// (v1.2.4-0.20191109021931-daa7c04131f5) are ordinary pre-releases and sort
// correctly between the surrounding tags.
//
// Parse is lenient where real ecosystems are: a leading 'v' (Go, and OSV Go
// records without it), missing minor or patch ("1.2" = "1.2.0", as Go's
// shorthand), and leading zeros in numeric fields (compared numerically).
package semver

import (
	"errors"
	"fmt"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// Version is a parsed semantic version.
type Version struct {
	raw                 string
	major, minor, patch string   // digits without leading zeros
	pre                 []string // pre-release identifiers, nil for a release
	build               string   // build metadata without '+', may be empty
}

// Parse parses a semantic version. Surrounding white space is ignored.
func Parse(s string) (Version, error) {
	v, err := parse(strings.TrimSpace(s))
	if err != nil {
		return Version{}, fmt.Errorf("parse semver version %q: %w", s, err)
	}
	return v, nil
}

func parse(s string) (Version, error) {
	v := Version{raw: s}
	rest := strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")
	if rest == "" {
		return Version{}, errors.New("empty version")
	}
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.build = rest[i+1:]
		if err := checkIdents(v.build, "build metadata"); err != nil {
			return Version{}, err
		}
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		pre := rest[i+1:]
		if err := checkIdents(pre, "pre-release"); err != nil {
			return Version{}, err
		}
		v.pre = strings.Split(pre, ".")
		rest = rest[:i]
	}
	if n := strings.Count(rest, ".") + 1; n > 3 {
		return Version{}, fmt.Errorf("%d numeric fields, want at most 3 (major.minor.patch)", n)
	}
	nums := [3]string{"0", "0", "0"}
	for i := 0; ; i++ { // strings.Cut, not Split: a match parses thousands of versions
		f, after, more := strings.Cut(rest, ".")
		if !numstr.IsDigits(f) {
			return Version{}, fmt.Errorf("%s %q is not a number", [...]string{"major", "minor", "patch"}[i], f)
		}
		nums[i] = numstr.Trim(f)
		if !more {
			break
		}
		rest = after
	}
	v.major, v.minor, v.patch = nums[0], nums[1], nums[2]
	return v, nil
}

// checkIdents checks dot-separated identifiers of [0-9A-Za-z-].
func checkIdents(s, what string) error {
	if s == "" {
		return fmt.Errorf("empty %s", what)
	}
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return fmt.Errorf("empty identifier in %s %q", what, s)
		}
		for i := 0; i < len(id); i++ {
			if c := id[i]; !isAlnum(c) && c != '-' {
				return fmt.Errorf("invalid character %q in %s %q", c, what, s)
			}
		}
	}
	return nil
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Canonical returns "MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]" without a 'v'
// and with numeric fields in their shortest form.
func (v Version) Canonical() string {
	var b strings.Builder
	b.WriteString(v.major + "." + v.minor + "." + v.patch)
	if v.pre != nil {
		b.WriteString("-" + strings.Join(v.pre, "."))
	}
	if v.build != "" {
		b.WriteString("+" + v.build)
	}
	return b.String()
}

// Prerelease returns the pre-release identifiers joined by '.', or "".
func (v Version) Prerelease() string { return strings.Join(v.pre, ".") }

// IsPrerelease reports whether v has a pre-release part.
func (v Version) IsPrerelease() bool { return v.pre != nil }

// Build returns the build metadata without '+', or "".
func (v Version) Build() string { return v.build }

// Compare returns -1, 0 or 1 as v has lower, equal or higher precedence
// than o. Build metadata is ignored.
func (v Version) Compare(o Version) int {
	for _, p := range [][2]string{{v.major, o.major}, {v.minor, o.minor}, {v.patch, o.patch}} {
		if c := numstr.Compare(p[0], p[1]); c != 0 {
			return c
		}
	}
	return numstr.ComparePrerelease(v.pre, o.pre, false)
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
