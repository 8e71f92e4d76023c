// Package license classifies the license strings of the SBOM model for the
// interchange formats: an SPDX license identifier in its canonical case, a
// valid SPDX license expression, or a free-text name that is neither.
package license

import (
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

// Kind says what a license string is.
type Kind int

// The kinds of license string.
const (
	// Name is free text that is not a valid SPDX expression.
	Name Kind = iota
	// ID is a single SPDX license identifier on the SPDX License List.
	ID
	// Expression is a valid SPDX expression that is not a listed identifier:
	// a compound (AND, OR, WITH) or a LicenseRef.
	Expression
)

// maxLen bounds what is handed to the expression parser; no real license
// expression is longer.
const maxLen = 4096

// Classify returns the kind of s and its canonical form: the identifier in the
// case the SPDX License List spells it, the expression as written (trimmed), or
// the name unchanged.
func Classify(s string) (Kind, string) {
	t := strings.TrimSpace(s)
	if t == "" || len(t) > maxLen {
		return Name, s
	}
	if ok, id := spdxlicenses.IsActiveLicense(t); ok {
		return ID, id
	}
	if ok, id := spdxlicenses.IsDeprecatedLicense(t); ok {
		return ID, id
	}
	if !strings.ContainsAny(t, " ()+") && !strings.HasPrefix(t, "LicenseRef-") && !strings.HasPrefix(t, "DocumentRef-") {
		return Name, s // a single word that is not on the list
	}
	if ok, _ := spdxexp.ValidateLicenses([]string{t}); ok {
		return Expression, t
	}
	return Name, s
}

// RefID turns a free-text license name into a valid SPDX LicenseRef identifier:
// "LicenseRef-" followed by the name with every character outside [A-Za-z0-9.-]
// replaced by '-'.
func RefID(name string) string {
	var b strings.Builder
	b.WriteString("LicenseRef-")
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}
