// Package numstr compares unbounded decimal numbers written as ASCII digit
// strings, so that version schemes never overflow on long numeric fields such
// as date stamps or git timestamps.
package numstr

import "strings"

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
