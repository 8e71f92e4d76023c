// Package apk implements Alpine apk-tools package versions, as used by
// Alpine, Wolfi and Chainguard:
//
//	number{.number}[letter{number[letter]}]{_suffix[number]}[-rN]
//
// Versions are compared token by token the way apk-tools 2 does:
//
//   - numbers compare numerically; a number after '.' that has leading zeros
//     sorts below any number without them, and more zeros sort lower
//     ("1.001" < "1.01" < "1.1");
//   - a single lowercase letter after a number compares by byte ("1.2a" < "1.2b");
//   - suffixes order _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git
//     < _hg < _p, each followed by an optional number;
//   - -rN is the package revision;
//   - when the token kinds differ, a version continuing with a pre-release
//     suffix is older, otherwise the one continuing with the earlier kind of
//     token (number, letter, suffix, revision, end — in that order) is newer:
//     "1.2" < "1.2.1", "1.2" < "1.2a", "1.2_rc1" < "1.2" < "1.2_p1" < "1.2-r1".
//
// Known divergences from apk-tools 2:
//
//   - apk-tools 2 reads a phantom number after a zero-led field that is
//     followed by something other than digits, so it orders "1.0_alpha"
//     above "1.0" (while "1.1_alpha" < "1.1"). That is a long-known apk bug;
//     here a pre-release suffix sorts below the release whatever the digits
//     before it. The phantom is otherwise kept, so "1.0.10" < "1.01.0" as in
//     apk-tools.
//   - Numbers are unbounded (apk uses a C int).
//   - Empty numeric fields ("1..2", "1.0-r") and the "~hash" suffix are
//     rejected.
//   - apk-tools 3 compares zero-led fields as strings, so it orders "1.0" and
//     "1.00" the other way round; this package follows apk-tools 2, which
//     Alpine releases up to 3.22 and Wolfi use.
package apk

import (
	"errors"
	"fmt"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// kind is the kind of a version token; the order matters for comparison.
type kind int

const (
	kindDot      kind = iota // number after '.'
	kindNum                  // first number, number after a letter or after leading zeros
	kindLetter               // one lowercase letter
	kindSuffix               // _alpha … _p
	kindSuffixNo             // number after a suffix
	kindRevision             // number after -r
	kindEnd
)

// token is one version token. For kindDot with leading zeros, zeros counts
// them and digits is empty; otherwise digits holds the number.
type token struct {
	kind    kind
	zeros   int
	digits  string
	letter  byte
	rank    int  // suffix rank: negative for pre-release suffixes
	phantom bool // the empty number apk-tools reads after leading zeros
}

// suffixes in ascending order; those before "" are pre-release suffixes.
// "pre" must be tried before "p".
var (
	preSuffixes  = []string{"alpha", "beta", "pre", "rc"}
	postSuffixes = []string{"cvs", "svn", "git", "hg", "p"}
)

// Version is a parsed apk version.
type Version struct {
	raw    string
	tokens []token
}

// Parse parses an apk version string. Surrounding white space is ignored.
func Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	toks, err := tokenize(t)
	if err != nil {
		return Version{}, fmt.Errorf("parse apk version %q: %w", s, err)
	}
	return Version{raw: t, tokens: toks}, nil
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Compare returns -1, 0 or 1 as v sorts before, equal to or after o.
func (v Version) Compare(o Version) int {
	for i := 0; ; i++ {
		a, b := at(v.tokens, i), at(o.tokens, i)
		if a.kind == b.kind {
			if a.kind == kindEnd {
				return 0
			}
			if c := compareValue(a, b); c != 0 {
				return c
			}
			continue
		}
		switch {
		case a.phantom && b.kind == kindEnd:
			return afterPhantom(at(v.tokens, i+1))
		case b.phantom && a.kind == kindEnd:
			return -afterPhantom(at(o.tokens, i+1))
		case a.kind == kindSuffix && a.rank < 0:
			return -1
		case b.kind == kindSuffix && b.rank < 0:
			return 1
		case a.kind > b.kind:
			return -1
		}
		return 1
	}
}

// afterPhantom compares a version whose phantom number is followed by next
// with a version that ends where the phantom is: the longer one is newer
// unless it continues with a pre-release suffix. (apk-tools 2 says newer in
// every case, ordering "1.0_alpha" above "1.0".)
func afterPhantom(next token) int {
	if next.kind == kindSuffix && next.rank < 0 {
		return -1
	}
	return 1
}

func at(toks []token, i int) token {
	if i < len(toks) {
		return toks[i]
	}
	return token{kind: kindEnd}
}

func compareValue(a, b token) int {
	switch a.kind {
	case kindLetter:
		return cmpInt(int(a.letter), int(b.letter))
	case kindSuffix:
		return cmpInt(a.rank, b.rank)
	case kindDot:
		switch {
		case a.zeros > 0 || b.zeros > 0:
			// -zeros for zero-led fields, positive otherwise.
			return cmpInt(dotWeight(a), dotWeight(b))
		}
	}
	return numstr.Compare(a.digits, b.digits)
}

// dotWeight orders zero-led dot fields below all others, more zeros lower.
// It is only used when at least one side is zero-led, where the exact value
// of a field without zeros does not matter beyond being positive.
func dotWeight(t token) int {
	if t.zeros > 0 {
		return -t.zeros
	}
	return 1
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// errEmpty is returned for an empty version string.
var errEmpty = errors.New("empty version")
