// Package composer implements Composer (Packagist) package versions.
//
// Parse normalises a version the way Composer's VersionParser::normalize
// does: "v1.2" becomes "1.2.0.0", "1.0.0-rc.1" becomes "1.0.0.0-RC1",
// "1.0-b2" becomes "1.0.0.0-beta2", "2.0-pl1" becomes "2.0.0.0-patch1",
// "1.0.0-beta-dev" becomes "1.0.0.0-beta-dev", date versions keep their
// numbers ("2010-01-02" is "2010.01.02"), numeric dev branches become 9999999
// ("2.x-dev" is "2.9999999.9999999.9999999-dev"); build metadata ("+…"),
// stability flags ("@beta") and inline aliases ("1.0 as 2.0") are dropped.
//
// Compare then orders the normalised forms as PHP's version_compare does,
// which is how Composer compares versions: parts are split at separators and
// at digit/letter transitions and compared left to right, with
//
//	dev < alpha < beta < RC < (end of version) < any number < patch
//
// and numbers compared numerically. So 1.0.0-dev < 1.0.0-alpha1 <
// 1.0.0-beta2 < 1.0.0-RC1 < 1.0.0 < 1.0.0-patch1 < 1.0.0.1.
//
// Named branches ("dev-main", "master") have no order and are rejected.
// Divergences: numbers are unbounded (PHP uses a C long), and "stable" is
// recognised in any case.
package composer

import (
	"fmt"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// part ranks as version_compare orders its special forms; numbers rank
// between RC and patch, and the end of a version between RC and numbers.
const (
	rankDev   = 0
	rankAlpha = 1
	rankBeta  = 2
	rankRC    = 3
	rankEnd   = 4
	rankNum   = 5
	rankPatch = 6
)

// part is one element of a normalised version.
type part struct {
	rank   int
	digits string // for rankNum, without leading zeros
}

// Version is a parsed Composer version.
type Version struct {
	raw        string
	normalized string
	parts      []part
}

// Parse parses and normalises a Composer version.
func Parse(s string) (Version, error) {
	n, err := normalize(s)
	if err != nil {
		return Version{}, fmt.Errorf("parse composer version %q: %w", s, err)
	}
	return Version{raw: strings.TrimSpace(s), normalized: n, parts: split(n)}, nil
}

// split breaks a normalised version into parts at separators and at
// transitions between digits and letters.
func split(n string) []part {
	var parts []part
	for i := 0; i < len(n); {
		j := i
		switch {
		case isDigit(n[i]):
			for j < len(n) && isDigit(n[j]) {
				j++
			}
			parts = append(parts, part{rank: rankNum, digits: numstr.Trim(n[i:j])})
		case isLetter(n[i]):
			for j < len(n) && isLetter(n[j]) {
				j++
			}
			parts = append(parts, part{rank: wordRank(n[i:j])})
		default:
			j++
		}
		i = j
	}
	return parts
}

// wordRank ranks the stability words normalize produces.
func wordRank(w string) int {
	switch w {
	case "dev":
		return rankDev
	case "alpha":
		return rankAlpha
	case "beta":
		return rankBeta
	case "RC":
		return rankRC
	}
	return rankPatch // "patch", the only other word normalize emits
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Normalized returns Composer's normalised form, e.g. "1.0.0.0-RC1".
func (v Version) Normalized() string { return v.normalized }

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	end := part{rank: rankEnd}
	for i := 0; i < len(v.parts) || i < len(o.parts); i++ {
		a, b := end, end
		if i < len(v.parts) {
			a = v.parts[i]
		}
		if i < len(o.parts) {
			b = o.parts[i]
		}
		switch {
		case a.rank < b.rank:
			return -1
		case a.rank > b.rank:
			return 1
		case a.rank == rankNum:
			if c := numstr.Compare(a.digits, b.digits); c != 0 {
				return c
			}
		case a.rank == rankEnd:
			return 0
		}
	}
	return 0
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
