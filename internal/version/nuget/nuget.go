// Package nuget implements NuGet package versions (NuGetVersion), as used by
// nuget.org.
//
// A version is one to four numeric parts (major[.minor[.patch[.revision]]],
// missing parts are 0), an optional SemVer 2.0.0 pre-release after '-' and
// optional metadata after '+'. Order, as NuGet's default VersionComparer:
// the four numbers numerically; a release above its pre-releases;
// pre-release labels left to right, numeric labels numerically and below
// alphanumeric ones, which compare ordinally ignoring case; fewer labels
// first. Metadata is ignored.
package nuget

import (
	"errors"
	"fmt"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// Version is a parsed NuGet version.
type Version struct {
	raw      string
	nums     [4]string // digits without leading zeros
	labels   []string  // pre-release labels, nil for a release
	metadata string
}

// Parse parses a NuGet version. Surrounding white space is ignored.
func Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	v, err := parse(t)
	if err != nil {
		return Version{}, fmt.Errorf("parse nuget version %q: %w", s, err)
	}
	v.raw = t
	return v, nil
}

func parse(s string) (Version, error) {
	if s == "" {
		return Version{}, errors.New("empty version")
	}
	var v Version
	rest := s
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.metadata = rest[i+1:]
		if err := checkLabels(v.metadata, "metadata"); err != nil {
			return Version{}, err
		}
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		pre := rest[i+1:]
		if err := checkLabels(pre, "pre-release"); err != nil {
			return Version{}, err
		}
		v.labels = strings.Split(pre, ".")
		rest = rest[:i]
	}
	parts := strings.Split(rest, ".")
	if len(parts) > 4 {
		return Version{}, fmt.Errorf("%d numeric parts, want at most 4", len(parts))
	}
	v.nums = [4]string{"0", "0", "0", "0"}
	for i, p := range parts {
		if !numstr.IsDigits(p) {
			return Version{}, fmt.Errorf("part %d (%q) is not a number", i+1, p)
		}
		v.nums[i] = numstr.Trim(p)
	}
	return v, nil
}

func checkLabels(s, what string) error {
	if s == "" {
		return fmt.Errorf("empty %s", what)
	}
	for _, l := range strings.Split(s, ".") {
		if l == "" {
			return fmt.Errorf("empty label in %s %q", what, s)
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isAlnum(c) && c != '-' {
				return fmt.Errorf("invalid character %q in %s %q", c, what, s)
			}
		}
	}
	return nil
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Normalized returns NuGet's normalised form: three parts (four when the
// revision is not zero), the pre-release, no metadata and no leading zeros.
func (v Version) Normalized() string {
	s := strings.Join(v.nums[:3], ".")
	if v.nums[3] != "0" {
		s += "." + v.nums[3]
	}
	if v.labels != nil {
		s += "-" + strings.Join(v.labels, ".")
	}
	return s
}

// IsPrerelease reports whether v has a pre-release part.
func (v Version) IsPrerelease() bool { return v.labels != nil }

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	for i := range v.nums {
		if c := numstr.Compare(v.nums[i], o.nums[i]); c != 0 {
			return c
		}
	}
	return numstr.ComparePrerelease(v.labels, o.labels, true) // NuGet labels ignore case
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
