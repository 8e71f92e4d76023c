// Package gem implements RubyGems versions (Gem::Version), as used by
// RubyGems.org.
//
// A version is digits followed by '.'-separated alphanumeric parts, with an
// optional '-' pre-release tail that RubyGems rewrites to ".pre." ("1.0-rc1"
// is "1.0.pre.rc1"). It is split into segments — runs of digits (numbers)
// and runs of letters (strings). A version with any letter is a pre-release.
//
// Order: trailing zero segments are dropped from the release part (before
// the first string segment) and from the pre-release part, then segments
// compare left to right, the shorter version padded with zeros; numbers
// compare numerically, strings byte-wise, and a string sorts below any
// number, so "1.0.a" < "1.0" < "1.0.0.1" and "1.0.a" = "1.a".
//
// Divergence: Gem::Version treats an empty string as "0"; Parse rejects it.
package gem

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// pattern is Gem::Version's ANCHORED_VERSION_PATTERN, minus surrounding space.
var pattern = regexp.MustCompile(`^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`)

// segment is a number (digits without leading zeros) or a string.
type segment struct {
	isNum bool
	val   string
}

// Version is a parsed RubyGems version.
type Version struct {
	raw       string
	canonical []segment
	pre       bool
}

// Parse parses a RubyGems version. Surrounding white space is ignored.
func Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Version{}, fmt.Errorf("parse gem version %q: %w", s, errors.New("empty version"))
	}
	if !pattern.MatchString(t) {
		return Version{}, fmt.Errorf("parse gem version %q: %w", s, explain(t))
	}
	segs := split(strings.ReplaceAll(t, "-", ".pre."))
	v := Version{raw: t, canonical: canonicalize(segs)}
	for _, sg := range segs {
		v.pre = v.pre || !sg.isNum
	}
	return v, nil
}

// explain says why t does not match the version pattern.
func explain(t string) error {
	switch {
	case t[0] < '0' || t[0] > '9':
		return fmt.Errorf("must start with a digit, not %q", t[0])
	case strings.Contains(t, ".."), strings.HasSuffix(t, "."), strings.HasSuffix(t, "-"):
		return errors.New("empty part")
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !isDigit(c) && !isLetter(c) && c != '.' && c != '-' {
			return fmt.Errorf("invalid character %q at offset %d", c, i)
		}
	}
	return errors.New("empty part or misplaced separator")
}

// split scans runs of digits and runs of letters, as Gem::Version#segments.
func split(s string) []segment {
	var segs []segment
	for i := 0; i < len(s); {
		j := i
		switch {
		case isDigit(s[i]):
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			segs = append(segs, segment{isNum: true, val: numstr.Trim(s[i:j])})
		case isLetter(s[i]):
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			segs = append(segs, segment{val: s[i:j]})
		default:
			j++
		}
		i = j
	}
	return segs
}

// canonicalize drops trailing zeros from the numeric part (before the first
// string segment) and from the rest, as Gem::Version#canonical_segments.
func canonicalize(segs []segment) []segment {
	first := len(segs)
	for i, sg := range segs {
		if !sg.isNum {
			first = i
			break
		}
	}
	out := append([]segment(nil), dropZeros(segs[:first])...)
	return append(out, dropZeros(segs[first:])...)
}

func dropZeros(segs []segment) []segment {
	for len(segs) > 0 && segs[len(segs)-1] == (segment{isNum: true, val: "0"}) {
		segs = segs[:len(segs)-1]
	}
	return segs
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// IsPrerelease reports whether the version contains a letter.
func (v Version) IsPrerelease() bool { return v.pre }

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	zero := segment{isNum: true, val: "0"}
	for i := 0; i < len(v.canonical) || i < len(o.canonical); i++ {
		a, b := zero, zero
		if i < len(v.canonical) {
			a = v.canonical[i]
		}
		if i < len(o.canonical) {
			b = o.canonical[i]
		}
		if c := compareSegment(a, b); c != 0 {
			return c
		}
	}
	return 0
}

func compareSegment(a, b segment) int {
	switch {
	case a.isNum && b.isNum:
		return numstr.Compare(a.val, b.val)
	case a.isNum:
		return 1
	case b.isNum:
		return -1
	}
	return strings.Compare(a.val, b.val)
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
