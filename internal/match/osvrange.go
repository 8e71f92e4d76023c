package match

import (
	"errors"
	"fmt"
	"slices"

	"github.com/plimsoll/plimsoll/internal/version"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// Verdict is the outcome of testing one version against one affected entry.
type Verdict struct {
	Affected bool
	// Evidence says what decided it: the range (index and events) or the explicit
	// versions list.
	Evidence Evidence
	// Fixed lists every fixed version the entry names, in scheme order; Nearest is
	// the smallest of them above the installed version ("" when none is).
	Fixed   []string
	Nearest string
}

// Evidence records which part of an OSV affected entry matched.
type Evidence struct {
	Source     string         `json:"source"` // "range" or "versions"
	RangeIndex int            `json:"rangeIndex,omitempty"`
	RangeType  string         `json:"rangeType,omitempty"`
	Events     []vulndb.Event `json:"events,omitempty"`
}

// errUnparsable marks a version the scheme cannot compare.
var errUnparsable = errors.New("version does not parse")

// Evaluate applies OSV's range semantics exactly: a version is affected if it is
// listed in versions, or if some ECOSYSTEM or SEMVER range includes it — sweeping
// the range's events in version order, introduced sets affected when v ≥ it, fixed
// clears it when v ≥ it, last_affected clears it when v > it — and v is below one
// of the range's limits when it has any. GIT ranges are ignored: they name commits,
// not versions. SEMVER ranges compare as SemVer whatever the ecosystem.
func Evaluate(scheme version.Scheme, a vulndb.Affected, v string) (Verdict, error) {
	in, err := parseInstalled(scheme, v)
	if err != nil {
		return Verdict{}, err
	}
	return in.evaluate(a)
}

// installed is the version under test, parsed once for all the entries it is
// tested against: parsing costs more than comparing.
type installed struct {
	raw    string
	scheme version.Scheme
	p      version.Parsed
	// The SemVer parse, for SEMVER ranges in other ecosystems; made on first use.
	semver     version.Parsed
	semverErr  error
	semverDone bool
	// The caches of the installed version's scheme and of SemVer, when set
	// (useCache): they keep the event versions parsed for earlier entries,
	// since advisories of one package repeat the same few versions.
	cache, semverCache map[string]version.Parsed
	// Buffers of sortEvents, fixes and evaluate.
	events    []parsedEvent
	fixed     []fixedVersion
	evaluated []int
	// missesUnlisted leaves Fixed and Nearest empty in verdicts that do not
	// match: the matcher drops those, and listing their fixes cost an
	// allocation per entry.
	missesUnlisted bool
}

// parseCache remembers parsed versions by scheme name and text.
type parseCache map[string]map[string]version.Parsed

// of returns the cache of one scheme.
func (c parseCache) of(s version.Scheme) map[string]version.Parsed {
	m := c[s.Name()]
	if m == nil {
		// A scan's worker parses hundreds of distinct versions of a scheme:
		// a map grown from empty rehashed several times on the way.
		m = make(map[string]version.Parsed, 512)
		c[s.Name()] = m
	}
	return m
}

// useCache makes parse go through c.
func (in *installed) useCache(c parseCache) {
	in.cache, in.semverCache = c.of(in.scheme), c.of(version.SemVer{})
}

// parse parses v under s (the installed version's scheme or SemVer), through
// the cache when there is one. Failures are not kept: they are rare, and the
// error must be returned each time.
func (in *installed) parse(s version.Scheme, v string) (version.Parsed, error) {
	m := in.cache
	if s.Name() != in.scheme.Name() {
		m = in.semverCache
	}
	if m == nil {
		return s.Parse(v)
	}
	if p, ok := m[v]; ok {
		return p, nil
	}
	p, err := s.Parse(v)
	if err == nil {
		m[v] = p
	}
	return p, err
}

func parseInstalled(scheme version.Scheme, v string) (*installed, error) {
	p, err := scheme.Parse(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %q under %s: %v", errUnparsable, v, scheme.Name(), err)
	}
	return &installed{raw: v, scheme: scheme, p: p}, nil
}

// under returns the version parsed under s: the installed scheme's, or SemVer's.
func (in *installed) under(s version.Scheme) (version.Parsed, error) {
	if s.Name() == in.scheme.Name() {
		return in.p, nil
	}
	if !in.semverDone {
		in.semver, in.semverErr = s.Parse(in.raw)
		in.semverDone = true
	}
	return in.semver, in.semverErr
}

// fixedVersion is a fixed event's version, parsed under the installed
// version's scheme (nil when it does not parse there).
type fixedVersion struct {
	raw string
	p   version.Parsed
}

func (in *installed) evaluate(a vulndb.Affected) (Verdict, error) {
	var out Verdict
	var firstErr error
	evaluated := in.evaluated[:0] // the ranges that could be evaluated
	defer func() { in.evaluated = evaluated[:0] }()
	for i, r := range a.Ranges {
		s, ok := rangeScheme(in.scheme, r.Type)
		if !ok {
			continue
		}
		v, err := in.under(s)
		if err != nil {
			// The installed version is not SemVer: comparing it would treat it
			// as equal to every event.
			if firstErr == nil {
				firstErr = fmt.Errorf("range %d: SEMVER range, but %q is not SemVer: %w", i, in.raw, err)
			}
			continue
		}
		sorted, err := in.sortEvents(s, r.Events)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("range %d: %w", i, err)
			}
			continue
		}
		evaluated = append(evaluated, i)
		if inRange(sorted, v) && !out.Affected {
			out.Affected = true
			out.Evidence = Evidence{Source: "range", RangeIndex: i, RangeType: r.Type, Events: r.Events}
		}
	}
	if !out.Affected && in.listed(a.Versions) {
		out.Affected = true
		out.Evidence = Evidence{Source: "versions"}
	}
	if out.Affected || !in.missesUnlisted {
		out.Fixed, out.Nearest = in.fixes(a.Ranges, evaluated)
	}
	if !out.Affected && firstErr != nil {
		return out, firstErr
	}
	return out, nil
}

// rangeScheme is the scheme a range's events compare under: SemVer for a
// SEMVER range, the ecosystem's for an ECOSYSTEM range; ok is false for range
// types that name no versions (GIT).
func rangeScheme(eco version.Scheme, typ string) (s version.Scheme, ok bool) {
	switch typ {
	case vulndb.RangeSemver:
		return version.SemVer{}, true
	case vulndb.RangeEcosystem:
		return eco, true
	}
	return nil, false
}

// fixes lists the fixed versions of the evaluated ranges: each range's, in the
// record's order and without repeats, added to those before, then all ordered
// under that range's scheme; and picks the first above the installed version.
func (in *installed) fixes(ranges []vulndb.Range, evaluated []int) (all []string, nearest string) {
	fixed := in.fixed[:0]
	defer func() { in.fixed = fixed[:0] }()
	for _, i := range evaluated {
		s, _ := rangeScheme(in.scheme, ranges[i].Type)
		for _, e := range ranges[i].Events {
			if e.Fixed == "" || slices.ContainsFunc(fixed, func(f fixedVersion) bool { return f.raw == e.Fixed }) {
				continue
			}
			p, _ := in.parse(in.scheme, e.Fixed) // nil when it does not parse there
			fixed = append(fixed, fixedVersion{e.Fixed, p})
		}
		if len(fixed) < 2 {
			continue
		}
		if s.Name() == in.scheme.Name() {
			slices.SortStableFunc(fixed, func(a, b fixedVersion) int {
				if a.p == nil || b.p == nil {
					return 0 // unordered, as a failed comparison always was
				}
				return a.p.Compare(b.p)
			})
		} else {
			slices.SortStableFunc(fixed, func(a, b fixedVersion) int { return compare(s, a.raw, b.raw) })
		}
	}
	if len(fixed) == 0 {
		return nil, ""
	}
	all = make([]string, len(fixed))
	for i, f := range fixed {
		all[i] = f.raw
		if nearest == "" && f.p != nil && f.p.Compare(in.p) > 0 {
			nearest = f.raw
		}
	}
	return all, nearest
}

// parsedEvent is a range event with its version parsed.
type parsedEvent struct {
	e    vulndb.Event
	rank int // -1 for introduced "0", 1 for limit "*", else 0
	p    version.Parsed
}

// inRange sweeps one range's events, sorted by sortEvents.
func inRange(sorted []parsedEvent, v version.Parsed) bool {
	affected, limited := false, false
	for _, e := range sorted {
		switch {
		case e.e.Introduced != "":
			if e.rank < 0 || v.Compare(e.p) >= 0 {
				affected = true
			}
		case e.e.Fixed != "":
			if v.Compare(e.p) >= 0 {
				affected = false
			}
		case e.e.LastAffected != "":
			if v.Compare(e.p) > 0 {
				affected = false
			}
		case e.e.Limit != "":
			limited = true
		}
	}
	if !affected || !limited {
		return affected
	}
	for _, e := range sorted {
		if e.e.Limit != "" && (e.rank > 0 || v.Compare(e.p) < 0) {
			return true
		}
	}
	return false
}

// eventVersion is the version an event carries; introduced "0" sorts first and
// limit "*" last.
func eventVersion(e vulndb.Event) string {
	switch {
	case e.Introduced != "":
		return e.Introduced
	case e.Fixed != "":
		return e.Fixed
	case e.LastAffected != "":
		return e.LastAffected
	}
	return e.Limit
}

// sortEvents parses each event's version once and orders the events by
// version under the scheme, keeping the record's order among equal versions.
// An event whose version does not parse fails the range: guessing could report
// a false fix or a false match.
func (in *installed) sortEvents(s version.Scheme, events []vulndb.Event) ([]parsedEvent, error) {
	// The sorted events live only as long as one evaluate call: one buffer
	// serves every range of every entry of the query.
	sorted := slices.Grow(in.events[:0], len(events))[:len(events)]
	in.events = sorted
	for i, e := range events {
		ev := eventVersion(e)
		sorted[i] = parsedEvent{e: e} // the buffer holds an earlier range's events
		switch {
		case ev == "":
			return nil, errors.New("event with no version")
		case ev == "0" && e.Introduced != "":
			sorted[i].rank = -1
			continue
		case ev == "*" && e.Limit != "":
			sorted[i].rank = 1
			continue
		}
		p, err := in.parse(s, ev)
		if err != nil {
			return nil, fmt.Errorf("event version %q: %w", ev, err)
		}
		sorted[i].p = p
	}
	slices.SortStableFunc(sorted, func(a, b parsedEvent) int {
		if a.rank != 0 || b.rank != 0 {
			return a.rank - b.rank
		}
		return a.p.Compare(b.p)
	})
	return sorted, nil
}

// compare compares two versions already known to parse.
func compare(s version.Scheme, a, b string) int {
	c, _ := s.Compare(a, b)
	return c
}

// listed reports whether the installed version is in the explicit versions
// list: equal under the scheme, or the same string when the listed version
// does not parse.
func (in *installed) listed(versions []string) bool {
	for _, x := range versions {
		if x == in.raw {
			return true
		}
		if p, err := in.parse(in.scheme, x); err == nil && p.Compare(in.p) == 0 {
			return true
		}
	}
	return false
}
