package apk

import (
	"fmt"
	"strings"
)

// tokenize splits s into tokens, enforcing the token order apk-tools accepts:
// a kind may only be followed by the same or a later kind, except that a '.'
// number may follow a number, a number may follow a letter, and a suffix may
// follow a suffix number.
func tokenize(s string) ([]token, error) {
	if s == "" {
		return nil, errEmpty
	}
	if !isDigit(s[0]) {
		return nil, fmt.Errorf("must start with a digit, not %q", s[0])
	}
	var toks []token
	cur, pos := kindNum, 0
	for {
		tok, n, err := readToken(s[pos:], cur)
		if err != nil {
			return nil, fmt.Errorf("at offset %d: %w", pos, err)
		}
		toks = append(toks, tok)
		pos += n
		if pos == len(s) {
			return toks, nil
		}
		if tok.kind == kindDot && tok.zeros > 0 {
			// Digits after leading zeros form their own number token; as
			// in apk-tools, an empty one (a phantom) stands in when no
			// digit follows.
			cur = kindNum
			if isDigit(s[pos]) {
				continue
			}
			toks = append(toks, token{kind: kindNum, phantom: true})
		}
		next, n, err := nextKind(s[pos:], cur)
		if err != nil {
			return nil, fmt.Errorf("at offset %d: %w", pos, err)
		}
		cur, pos = next, pos+n
	}
}

// readToken reads the value of a token of kind k at the start of s and
// returns it with the number of bytes used.
func readToken(s string, k kind) (token, int, error) {
	switch k {
	case kindLetter:
		return token{kind: k, letter: s[0]}, 1, nil
	case kindSuffix:
		return readSuffix(s)
	case kindDot:
		if z := len(s) - len(strings.TrimLeft(s, "0")); z > 0 {
			return token{kind: k, zeros: z}, z, nil
		}
	}
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == 0 {
		return token{}, 0, fmt.Errorf("expected a number, found %q", head(s))
	}
	return token{kind: k, digits: s[:n]}, n, nil
}

func readSuffix(s string) (token, int, error) {
	for i, name := range preSuffixes {
		if strings.HasPrefix(s, name) {
			return token{kind: kindSuffix, rank: i - len(preSuffixes)}, len(name), nil
		}
	}
	for i, name := range postSuffixes {
		if strings.HasPrefix(s, name) {
			return token{kind: kindSuffix, rank: i}, len(name), nil
		}
	}
	return token{}, 0, fmt.Errorf("unknown suffix %q (want alpha, beta, pre, rc, cvs, svn, git, hg or p)", head(s))
}

// nextKind decides the kind of the token starting at s, which follows a
// token of kind cur, and returns it with the length of its separator.
func nextKind(s string, cur kind) (kind, int, error) {
	c := s[0]
	var next kind
	sep := 1
	switch {
	case (cur == kindNum || cur == kindDot) && c >= 'a' && c <= 'z':
		next, sep = kindLetter, 0
	case cur == kindLetter && isDigit(c):
		next, sep = kindNum, 0
	case cur == kindSuffix && isDigit(c):
		next, sep = kindSuffixNo, 0
	case c == '.':
		next = kindDot
	case c == '_':
		next = kindSuffix
	case strings.HasPrefix(s, "-r"):
		next, sep = kindRevision, 2
	default:
		return 0, 0, fmt.Errorf("unexpected %q", head(s))
	}
	if next < cur && !(next == kindDot && cur == kindNum ||
		next == kindSuffix && cur == kindSuffixNo ||
		next == kindNum && cur == kindLetter) {
		return 0, 0, fmt.Errorf("unexpected %q after %s", head(s), cur)
	}
	if sep == len(s) {
		return 0, 0, fmt.Errorf("nothing after %q", s)
	}
	return next, sep, nil
}

func (k kind) String() string {
	return [...]string{"'.' number", "number", "letter", "suffix", "suffix number", "revision", "end"}[k]
}

// head returns a short prefix of s for error messages.
func head(s string) string {
	if len(s) > 8 {
		return s[:8] + "…"
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
