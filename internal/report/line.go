package report

import (
	"strings"
	"unicode"
)

// Line makes untrusted text (an image's created_by, labels, env, paths) safe
// for one table cell: whitespace runs become one space, control and other
// non-printing characters (terminal escapes, bidi overrides) are dropped,
// invalid UTF-8 becomes U+FFFD, and text longer than max runes is cut on a
// rune boundary and ends in "…". max < 1 leaves the length alone.
func Line(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case !unicode.IsPrint(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if max < 1 {
		return out
	}
	runes := []rune(out)
	if len(runes) <= max {
		return out
	}
	return strings.TrimRight(string(runes[:max-1]), " ") + "…"
}
