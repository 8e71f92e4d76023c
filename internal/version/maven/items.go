package maven

import (
	"strconv"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// item is one element of a version: a number, a qualifier or a sub-list.
// compare with a nil other compares against the null item (0, "" or []).
type item interface {
	compare(other item) int
	isNull() bool
	canonical() string
}

// number is a numeric item: digits without leading zeros ("" is zero).
type number string

// qualifier is a non-numeric item after aliasing (ga, final, release → "";
// cr → rc; a, b, m before a digit → alpha, beta, milestone).
type qualifier string

// list is a (sub-)list of items.
type list struct{ items []item }

// qualifiers in ascending order; others sort after them, lexically.
var qualifiers = []string{"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"}

func newQualifier(s string, followedByDigit bool) qualifier {
	if followedByDigit && len(s) == 1 {
		switch s {
		case "a":
			return "alpha"
		case "b":
			return "beta"
		case "m":
			return "milestone"
		}
	}
	switch s {
	case "ga", "final", "release":
		return ""
	case "cr":
		return "rc"
	}
	return qualifier(s)
}

func (n number) isNull() bool      { return strings.TrimLeft(string(n), "0") == "" }
func (n number) canonical() string { return numstr.Trim(string(n)) }
func (n number) compare(other item) int {
	switch o := other.(type) {
	case nil:
		if n.isNull() {
			return 0
		}
		return 1
	case number:
		return numstr.Compare(string(n), string(o))
	}
	return 1 // a number is newer than a qualifier or a list
}

func (q qualifier) isNull() bool      { return q == "" }
func (q qualifier) canonical() string { return string(q) }
func (q qualifier) compare(other item) int {
	switch o := other.(type) {
	case nil:
		return strings.Compare(q.key(), qualifier("").key())
	case qualifier:
		return strings.Compare(q.key(), o.key())
	case *list:
		// Maven says a qualifier is always older than a list, which is not
		// transitive once lists also compare with null (MNG-5568). A
		// qualifier heads its list, so compare it as "-q" against the list.
		return (&list{items: []item{q}}).compareList(o)
	}
	return -1 // a qualifier is older than a number
}

// key is the qualifier's sort key: its index among the known qualifiers, or
// "7-" followed by the qualifier for unknown ones.
func (q qualifier) key() string {
	for i, k := range qualifiers {
		if string(q) == k {
			return strconv.Itoa(i)
		}
	}
	return strconv.Itoa(len(qualifiers)) + "-" + string(q)
}

func (l *list) isNull() bool { return len(l.items) == 0 }

// normalize removes trailing null items, looking past non-null sub-lists.
func (l *list) normalize() {
	for i := len(l.items) - 1; i >= 0; i-- {
		switch it := l.items[i]; {
		case it.isNull():
			l.items = append(l.items[:i], l.items[i+1:]...)
		case !isList(it):
			return
		}
	}
}

func isList(it item) bool {
	_, ok := it.(*list)
	return ok
}

func (l *list) compare(other item) int {
	switch o := other.(type) {
	case nil:
		for _, it := range l.items {
			if c := it.compare(nil); c != 0 {
				return c
			}
		}
		return 0
	case number:
		return -1
	case qualifier:
		return -o.compare(l)
	case *list:
		return l.compareList(o)
	}
	return 0
}

func (l *list) compareList(o *list) int {
	for i := 0; i < len(l.items) || i < len(o.items); i++ {
		var c int
		switch {
		case i >= len(l.items):
			c = -o.items[i].compare(nil)
		case i >= len(o.items):
			c = l.items[i].compare(nil)
		default:
			c = l.items[i].compare(o.items[i])
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func (l *list) canonical() string {
	var b strings.Builder
	for i, it := range l.items {
		if isList(it) {
			b.WriteString("-")
		} else if i > 0 {
			b.WriteString(".")
		}
		b.WriteString(it.canonical())
	}
	return b.String()
}
