// Package numstr compares unbounded decimal numbers written as ASCII digit
// strings, so that version schemes never overflow on long numeric fields such
// as date stamps or git timestamps.
package numstr

import (
	"cmp"
	"strings"
)

// Compare compares two strings of ASCII digits as non-negative integers and
// returns -1, 0 or 1. Leading zeros are ignored; an empty string is zero.
func Compare(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return strings.Compare(a, b)
}

// IsDigits reports whether s is non-empty and made only of ASCII digits.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Trim returns s without leading zeros, keeping a single "0" for zero.
func Trim(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}

// ComparePrerelease orders two dot-separated pre-release identifier lists as
// SemVer 2.0 §11 does: a version without one (nil) sorts after any with one;
// identifiers compare numerically when both are digits, numeric before
// alphanumeric, else as text (ASCII, or case-insensitively with foldCase, as
// NuGet does); a shorter list that is a prefix of a longer one sorts first.
func ComparePrerelease(a, b []string, foldCase bool) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareIdentifier(a[i], b[i], foldCase); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareIdentifier(a, b string, foldCase bool) int {
	an, bn := IsDigits(a), IsDigits(b)
	switch {
	case an && bn:
		return Compare(a, b)
	case an:
		return -1
	case bn:
		return 1
	case foldCase:
		return strings.Compare(strings.ToUpper(a), strings.ToUpper(b))
	}
	return strings.Compare(a, b)
}
