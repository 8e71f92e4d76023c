// Package deb implements Debian package versions as dpkg compares them:
// [epoch:]upstream_version[-debian_revision], ordered by Debian Policy §5.6.12.
//
// The epoch is compared numerically (absent means 0). The upstream version and
// the revision are compared with dpkg's algorithm: alternating runs of
// non-digits, compared character by character where '~' sorts before
// everything (even the end of the string), letters before other characters,
// and runs of digits compared numerically. An absent revision compares equal to
// "0", as in dpkg.
package deb

import (
	"errors"
	"fmt"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// Version is a parsed Debian version.
type Version struct {
	raw      string
	epoch    string // digits, never empty ("0" when absent)
	upstream string
	revision string // may be empty
}

// Parse parses a Debian version string. Surrounding white space is ignored.
// Like dpkg it accepts an upstream version that does not start with a digit,
// but it rejects characters outside the policy's set, an empty upstream
// version, a non-numeric epoch and an empty revision.
func Parse(s string) (Version, error) {
	v, err := parse(strings.TrimSpace(s))
	if err != nil {
		return Version{}, fmt.Errorf("parse deb version %q: %w", s, err)
	}
	return v, nil
}

func parse(s string) (Version, error) {
	if s == "" {
		return Version{}, errors.New("empty version")
	}
	v := Version{raw: s, epoch: "0"}
	rest := s
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		if !numstr.IsDigits(rest[:i]) {
			return Version{}, fmt.Errorf("epoch %q is not a number", rest[:i])
		}
		v.epoch = numstr.Trim(rest[:i])
		rest = rest[i+1:]
	}
	v.upstream = rest
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.upstream, v.revision = rest[:i], rest[i+1:]
		if v.revision == "" {
			return Version{}, errors.New("revision after '-' is empty")
		}
	}
	if v.upstream == "" {
		return Version{}, errors.New("upstream version is empty")
	}
	if err := checkChars(v.upstream, "upstream version", ".+~-"); err != nil {
		return Version{}, err
	}
	if err := checkChars(v.revision, "revision", ".+~"); err != nil {
		return Version{}, err
	}
	return v, nil
}

func checkChars(s, what, extra string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || strings.IndexByte(extra, c) >= 0 {
			continue
		}
		return fmt.Errorf("invalid character %q in %s", c, what)
	}
	return nil
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Epoch returns the epoch without leading zeros; "0" when absent.
func (v Version) Epoch() string { return v.epoch }

// Upstream returns the upstream version.
func (v Version) Upstream() string { return v.upstream }

// Revision returns the Debian revision, empty when absent.
func (v Version) Revision() string { return v.revision }

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	if c := numstr.Compare(v.epoch, o.epoch); c != 0 {
		return c
	}
	if c := verrevcmp(v.upstream, o.upstream); c != 0 {
		return c
	}
	return verrevcmp(v.revision, o.revision)
}

// verrevcmp compares two upstream versions or two revisions.
func verrevcmp(a, b string) int {
	for a != "" || b != "" {
		var an, bn string
		an, a = splitNonDigits(a)
		bn, b = splitNonDigits(b)
		if c := compareNonDigits(an, bn); c != 0 {
			return c
		}
		var ad, bd string
		ad, a = splitDigits(a)
		bd, b = splitDigits(b)
		if c := numstr.Compare(ad, bd); c != 0 {
			return c
		}
	}
	return 0
}

func compareNonDigits(a, b string) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		oa, ob := order(a, i), order(b, i)
		switch {
		case oa < ob:
			return -1
		case oa > ob:
			return 1
		}
	}
	return 0
}

// order is the weight of the i-th character of a non-digit run; past the end
// of the run it is 0, so only '~' sorts before the end.
func order(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch c := s[i]; {
	case c == '~':
		return -1
	case isAlpha(c):
		return int(c)
	default:
		return int(c) + 256
	}
}

func splitNonDigits(s string) (run, rest string) {
	i := 0
	for i < len(s) && !isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func splitDigits(s string) (run, rest string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }
