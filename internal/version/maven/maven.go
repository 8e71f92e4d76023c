// Package maven implements Maven artifact versions ordered as Maven's
// ComparableVersion orders them (the "Version Order Specification" of the
// POM reference).
//
// A version is lower-cased and split into items at '.', at '-' and at each
// transition between digits and letters; '-', a transition and a '.' before
// a qualifier open a nested sub-list (".qualifier" = "-qualifier", as the
// specification says and Maven 3.9 does since MNG-7644), so "1.0-rc-1" is
// [1, 0, [rc, [1]]] before normalisation. An empty item is 0. Numeric items compare numerically. Qualifiers order
//
//	alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp
//
// followed by every other qualifier in lexical order; "a", "b" and "m"
// directly followed by a digit mean alpha, beta and milestone. Trailing null
// items (0, "", ga, final, release, empty lists) are removed from each list,
// and lists are compared item by item, a missing item comparing as null, with
// number > list > qualifier across kinds. Hence
// 1-alpha < 1-snapshot < 1 = 1.0 = 1-ga < 1-sp < 1-foo < 1-1 < 1.1.
//
// Known divergences from Maven 3.9's ComparableVersion:
//
//   - Maven orders a qualifier below any sub-list at the same position. Once
//     trailing zeros are removed that is not transitive ("0" < "a" < "0a0" <
//     "0"), so here a qualifier is compared with a sub-list as the one-item
//     list [qualifier] (".q" = "-q"): "1-beta" = "1-0-beta" where Maven says
//     "<". Ordinary versions never meet this case.
//   - Only ASCII digits are digits (Java accepts any Unicode digit).
//   - Maven 3.9's "combination items" (a qualifier glued to the number after
//     it, such as "rc1" or "rc-1") are not modelled; they only matter for
//     unusual mixes of the two spellings.
package maven

import (
	"errors"
	"fmt"
	"strings"
)

// Version is a parsed Maven version.
type Version struct {
	raw   string
	items list
}

// Parse parses a Maven version. Any non-empty string is a Maven version; Parse
// only rejects empty (or all white space) strings and control characters.
func Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Version{}, fmt.Errorf("parse maven version %q: %w", s, errors.New("empty version"))
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; c < ' ' || c == 0x7f {
			return Version{}, fmt.Errorf("parse maven version %q: control byte %#02x at offset %d", s, c, i)
		}
	}
	return Version{raw: t, items: parseItems(strings.ToLower(t))}, nil
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Canonical returns the normalised item list in Maven's canonical notation,
// e.g. "1-rc-1" for "1.0.0-RC1".
func (v Version) Canonical() string { return v.items.canonical() }

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int { return v.items.compareList(&o.items) }

// parseItems splits a lower-cased version into its nested item list.
func parseItems(s string) list {
	root := &list{}
	cur := root
	stack := []*list{root}
	start, digits := 0, false
	open := func() {
		sub := &list{}
		cur.items = append(cur.items, sub)
		cur = sub
		stack = append(stack, sub)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' || c == '-':
			if i == start {
				cur.items = append(cur.items, number(""))
			} else {
				cur.items = append(cur.items, newItem(digits, s[start:i]))
			}
			start = i + 1
			if c == '-' || i+1 < len(s) && isQualifierByte(s[i+1]) {
				open() // ".qualifier" is read as "-qualifier"
			}
		case isDigit(c):
			if !digits && i > start {
				cur.items = append(cur.items, newQualifier(s[start:i], true))
				start = i
				open()
			}
			digits = true
		default:
			if digits && i > start {
				cur.items = append(cur.items, newItem(true, s[start:i]))
				start = i
				open()
			}
			digits = false
		}
	}
	if len(s) > start {
		cur.items = append(cur.items, newItem(digits, s[start:]))
	}
	for i := len(stack) - 1; i >= 0; i-- {
		stack[i].normalize()
	}
	return *root
}

func newItem(digits bool, s string) item {
	if digits {
		return number(strings.TrimLeft(s, "0"))
	}
	return newQualifier(s, false)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isQualifierByte reports whether c starts a qualifier: not a digit and not
// a separator.
func isQualifierByte(c byte) bool { return !isDigit(c) && c != '.' && c != '-' }
