package spdx

import "strings"

func isNone(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == noAssert || s == "NONE"
}

// licenses splits an expression on its top-level ANDs, drops the parentheses
// around a whole term and turns a LicenseRef the document defines back into
// its name: the inverse of licenseExpression.
func (d *decoder) licenses(expr string) []string {
	if isNone(expr) {
		return nil
	}
	var out []string
	for _, t := range splitAnd(expr) {
		t = strings.TrimSpace(t)
		for wrapped(t) {
			t = strings.TrimSpace(t[1 : len(t)-1])
		}
		if name, ok := d.lics[t]; ok && name != "" {
			t = name
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

// splitAnd splits s on " AND " outside parentheses.
func splitAnd(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ' ':
			if depth == 0 && strings.HasPrefix(s[i:], " AND ") {
				out = append(out, s[start:i])
				start = i + len(" AND ")
				i += len(" AND ") - 1
			}
		}
	}
	return append(out, s[start:])
}

// wrapped reports whether s is one parenthesised group: "(a OR b)" but not
// "(a) OR (b)".
func wrapped(s string) bool {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	depth := 0
	for i := 0; i < len(s)-1; i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth == 0 {
			return false
		}
	}
	return true
}
