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
	var out Verdict
	if _, err := scheme.Compare(v, v); err != nil {
		return out, fmt.Errorf("%w: %q under %s: %v", errUnparsable, v, scheme.Name(), err)
	}
	var firstErr error
	for i, r := range a.Ranges {
		s := scheme
		switch r.Type {
		case vulndb.RangeSemver:
			s = version.SemVer{}
			if _, err := s.Compare(v, v); err != nil {
				// The installed version is not SemVer: comparing it would treat it
				// as equal to every event.
				if firstErr == nil {
					firstErr = fmt.Errorf("range %d: SEMVER range, but %q is not SemVer: %w", i, v, err)
				}
				continue
			}
		case vulndb.RangeEcosystem:
		default:
			continue
		}
		affected, err := inRange(s, r.Events, v)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("range %d: %w", i, err)
			}
			continue
		}
		out.Fixed = appendFixed(s, out.Fixed, r.Events)
		if affected && !out.Affected {
			out.Affected = true
			out.Evidence = Evidence{Source: "range", RangeIndex: i, RangeType: r.Type, Events: r.Events}
		}
	}
	if !out.Affected && listed(scheme, a.Versions, v) {
		out.Affected = true
		out.Evidence = Evidence{Source: "versions"}
	}
	out.Nearest = nearestAbove(scheme, out.Fixed, v)
	if !out.Affected && firstErr != nil {
		return out, firstErr
	}
	return out, nil
}

// inRange sweeps one range's events in version order.
func inRange(s version.Scheme, events []vulndb.Event, v string) (bool, error) {
	sorted, err := sortEvents(s, events)
	if err != nil {
		return false, err
	}
	affected := false
	var limits []string
	for _, e := range sorted {
		switch {
		case e.Introduced != "":
			if e.Introduced == "0" || compare(s, v, e.Introduced) >= 0 {
				affected = true
			}
		case e.Fixed != "":
			if compare(s, v, e.Fixed) >= 0 {
				affected = false
			}
		case e.LastAffected != "":
			if compare(s, v, e.LastAffected) > 0 {
				affected = false
			}
		case e.Limit != "":
			limits = append(limits, e.Limit)
		}
	}
	if !affected || len(limits) == 0 {
		return affected, nil
	}
	for _, l := range limits {
		if l == "*" || compare(s, v, l) < 0 {
			return true, nil
		}
	}
	return false, nil
}

// eventVersion is the version an event carries; introduced "0" sorts first and
// limit "*" last.
func eventVersion(e vulndb.Event) string {
	for _, x := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if x != "" {
			return x
		}
	}
	return ""
}

// sortEvents orders events by version under the scheme, keeping the record's
// order among equal versions. An event whose version does not parse fails the
// range: guessing could report a false fix or a false match.
func sortEvents(s version.Scheme, events []vulndb.Event) ([]vulndb.Event, error) {
	for _, e := range events {
		ev := eventVersion(e)
		if ev == "" {
			return nil, errors.New("event with no version")
		}
		if ev == "0" && e.Introduced != "" || ev == "*" && e.Limit != "" {
			continue
		}
		if _, err := s.Compare(ev, ev); err != nil {
			return nil, fmt.Errorf("event version %q: %w", ev, err)
		}
	}
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b vulndb.Event) int {
		return cmpEvent(s, a, b)
	})
	return sorted, nil
}

func cmpEvent(s version.Scheme, a, b vulndb.Event) int {
	rank := func(e vulndb.Event) int {
		switch {
		case e.Introduced == "0":
			return -1
		case e.Limit == "*":
			return 1
		}
		return 0
	}
	if ra, rb := rank(a), rank(b); ra != 0 || rb != 0 {
		return ra - rb
	}
	return compare(s, eventVersion(a), eventVersion(b))
}

// compare compares two versions already known to parse.
func compare(s version.Scheme, a, b string) int {
	c, _ := s.Compare(a, b)
	return c
}

// listed reports whether v is in the explicit versions list: equal under the
// scheme, or the same string when the listed version does not parse.
func listed(s version.Scheme, versions []string, v string) bool {
	for _, x := range versions {
		if x == v {
			return true
		}
		if c, err := s.Compare(x, v); err == nil && c == 0 {
			return true
		}
	}
	return false
}

func appendFixed(s version.Scheme, fixed []string, events []vulndb.Event) []string {
	for _, e := range events {
		if e.Fixed != "" && !slices.Contains(fixed, e.Fixed) {
			fixed = append(fixed, e.Fixed)
		}
	}
	slices.SortStableFunc(fixed, func(a, b string) int { return compare(s, a, b) })
	return fixed
}

// nearestAbove is the smallest fixed version above v.
func nearestAbove(s version.Scheme, fixed []string, v string) string {
	for _, f := range fixed {
		if compare(s, f, v) > 0 {
			return f
		}
	}
	return ""
}
