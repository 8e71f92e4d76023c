// Package rpm implements RPM package versions, [epoch:]version[-release], as
// rpm orders them.
//
// The epoch is compared numerically (absent means 0); version and release are
// each compared with rpmvercmp: both strings are split into maximal runs of
// ASCII digits or ASCII letters, with every other character acting only as a
// separator, except '~' (sorts before anything, even the end of the string)
// and '^' (sorts after the end of the string but before any further segment).
// A digit run beats a letter run; digit runs compare numerically, letter runs
// byte-wise; when one string runs out the longer one is newer.
//
// An absent release sorts before any release, even "~1", as rpm.vercmp of
// rpm 4.18 orders full EVR strings. (In dependency matching rpm instead lets
// an absent release match any release, which is not an order.)
package rpm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// Version is a parsed RPM epoch:version-release.
type Version struct {
	raw     string
	epoch   string // digits, "0" when absent
	version string
	release string // may be empty
}

// Parse parses [epoch:]version[-release]. Surrounding white space is ignored;
// the release starts after the last '-'. It rejects an empty version, a
// non-numeric epoch, an empty release after '-', and white space, control or
// non-ASCII bytes.
func Parse(s string) (Version, error) {
	v, err := parse(strings.TrimSpace(s))
	if err != nil {
		return Version{}, fmt.Errorf("parse rpm version %q: %w", s, err)
	}
	return v, nil
}

func parse(s string) (Version, error) {
	if s == "" {
		return Version{}, errors.New("empty version")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return Version{}, fmt.Errorf("invalid byte %#02x at offset %d", c, i)
		}
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
	if strings.IndexByte(rest, ':') >= 0 {
		return Version{}, errors.New("more than one ':'")
	}
	v.version = rest
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.version, v.release = rest[:i], rest[i+1:]
		if v.release == "" {
			return Version{}, errors.New("release after '-' is empty")
		}
	}
	if v.version == "" {
		return Version{}, errors.New("version is empty")
	}
	return v, nil
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Epoch returns the epoch without leading zeros; "0" when absent.
func (v Version) Epoch() string { return v.epoch }

// Version returns the version part.
func (v Version) Version() string { return v.version }

// Release returns the release part, empty when absent.
func (v Version) Release() string { return v.release }

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	if c := numstr.Compare(v.epoch, o.epoch); c != 0 {
		return c
	}
	if c := Vercmp(v.version, o.version); c != 0 {
		return c
	}
	switch {
	case v.release == "" && o.release == "":
		return 0
	case v.release == "":
		return -1
	case o.release == "":
		return 1
	}
	return Vercmp(v.release, o.release)
}

// Vercmp compares two version (or release) strings with rpm's rpmvercmp
// algorithm and returns -1, 0 or 1.
func Vercmp(a, b string) int {
	for a != "" || b != "" {
		a, b = skipSeparators(a), skipSeparators(b)
		if c, ok := tilde(&a, &b); ok {
			if c != 0 {
				return c
			}
			continue
		}
		if c, ok := caret(&a, &b); ok {
			if c != 0 {
				return c
			}
			continue
		}
		if a == "" || b == "" {
			break
		}
		if c := segment(&a, &b); c != 0 {
			return c
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a != "":
		return 1
	}
	return -1
}

// tilde handles '~': if either string is at a tilde, that one sorts first;
// when both are, both advance.
func tilde(a, b *string) (int, bool) {
	at, bt := startsWith(*a, '~'), startsWith(*b, '~')
	switch {
	case !at && !bt:
		return 0, false
	case !at:
		return 1, true
	case !bt:
		return -1, true
	}
	*a, *b = (*a)[1:], (*b)[1:]
	return 0, true
}

// caret handles '^': a caret sorts after the end of the string but before any
// further segment.
func caret(a, b *string) (int, bool) {
	ac, bc := startsWith(*a, '^'), startsWith(*b, '^')
	switch {
	case !ac && !bc:
		return 0, false
	case *a == "":
		return -1, true
	case *b == "":
		return 1, true
	case !ac:
		return 1, true
	case !bc:
		return -1, true
	}
	*a, *b = (*a)[1:], (*b)[1:]
	return 0, true
}

// segment compares the next digit or letter run of a and b (both non-empty
// and starting with an alphanumeric byte) and advances past them.
func segment(a, b *string) int {
	isNum := isDigit((*a)[0])
	class := isAlpha
	if isNum {
		class = isDigit
	}
	sa, ra := span(*a, class)
	sb, rb := span(*b, class)
	*a, *b = ra, rb
	if sb == "" {
		// b's run is of the other kind: digits beat letters.
		if isNum {
			return 1
		}
		return -1
	}
	if isNum {
		return numstr.Compare(sa, sb)
	}
	return strings.Compare(sa, sb)
}

func skipSeparators(s string) string {
	i := 0
	for i < len(s) && !isDigit(s[i]) && !isAlpha(s[i]) && s[i] != '~' && s[i] != '^' {
		i++
	}
	return s[i:]
}

func span(s string, class func(byte) bool) (run, rest string) {
	i := 0
	for i < len(s) && class(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func startsWith(s string, c byte) bool { return s != "" && s[0] == c }
func isDigit(c byte) bool              { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool              { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
