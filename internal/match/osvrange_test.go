package match

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/version"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func intro(v string) vulndb.Event { return vulndb.Event{Introduced: v} }
func fixed(v string) vulndb.Event { return vulndb.Event{Fixed: v} }
func last(v string) vulndb.Event  { return vulndb.Event{LastAffected: v} }
func limit(v string) vulndb.Event { return vulndb.Event{Limit: v} }

func eco(events ...vulndb.Event) vulndb.Range {
	return vulndb.Range{Type: vulndb.RangeEcosystem, Events: events}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name      string
		scheme    version.Scheme
		affected  vulndb.Affected
		installed string
		want      bool
		nearest   string
	}{
		{"debian epoch below the fix", version.Deb{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("1:2.3.4-1+deb12u1"))}}, "1:2.3.4-1", true, "1:2.3.4-1+deb12u1"},
		{"debian at the fix", version.Deb{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("1:2.3.4-1+deb12u1"))}}, "1:2.3.4-1+deb12u1", false, ""},
		{"debian without epoch sorts below an epoch", version.Deb{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("1:1.0-1"))}}, "9.9-1", true, "1:1.0-1"},
		{"debian tilde fix is below the release", version.Deb{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("1.0-1~deb12u1"))}}, "1.0-1", false, ""},
		{"debian ~deb12u1 installed below +deb12u1 fix", version.Deb{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("2.0-3+deb12u1"))}}, "2.0-3~deb12u1", true, "2.0-3+deb12u1"},
		{"alpine revision below the fix", version.APK{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("1.2.3-r2"))}}, "1.2.3-r1", true, "1.2.3-r2"},
		{"alpine revision at the fix", version.APK{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("1.2.3-r2"))}}, "1.2.3-r2", false, ""},
		{"npm prerelease of the fixed release is affected", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{{Type: vulndb.RangeSemver, Events: []vulndb.Event{intro("0"), fixed("2.0.0")}}}}, "2.0.0-rc.1", true, "2.0.0"},
		{"npm below introduced", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("1.2.0"), fixed("1.4.1"))}}, "1.1.9", false, "1.4.1"},
		{"second of two ranges", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("1.0.0"), fixed("1.5.0"), intro("2.0.0"), fixed("2.3.0"))}}, "2.1.0", true, "2.3.0"},
		{"between two ranges", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("1.0.0"), fixed("1.5.0"), intro("2.0.0"), fixed("2.3.0"))}}, "1.7.0", false, "2.3.0"},
		{"events out of order in the record", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(fixed("2.3.0"), intro("2.0.0"), fixed("1.5.0"), intro("1.0.0"))}}, "1.2.0", true, "1.5.0"},
		{"last_affected includes itself", version.PEP440{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), last("3.1"))}}, "3.1", true, ""},
		{"above last_affected", version.PEP440{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), last("3.1"))}}, "3.1.post1", false, ""},
		{"pep440 pre-release below the fix", version.PEP440{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("2.2.0rc1"))}}, "2.2.0b3", true, "2.2.0rc1"},
		{"pep440 release above the rc fix", version.PEP440{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("2.2.0rc1"))}}, "2.2.0", false, ""},
		{"below the limit", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), limit("2.0.0"))}}, "1.9.9", true, ""},
		{"at the limit", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), limit("2.0.0"))}}, "2.0.0", false, ""},
		{"limit star", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("1.0.0"), limit("*"))}}, "9.0.0", true, ""},
		{"explicit versions list", version.PEP440{}, vulndb.Affected{Versions: []string{"1.0", "1.1"}}, "1.1.0", true, ""},
		{"not in the versions list", version.PEP440{}, vulndb.Affected{Versions: []string{"1.0", "1.1"}}, "1.2", false, ""},
		{"git ranges are ignored", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{{Type: vulndb.RangeGit, Events: []vulndb.Event{intro("0"), fixed("abc123")}}}}, "1.0.0", false, ""},
		{"go pseudo-version below the fix", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{{Type: vulndb.RangeSemver, Events: []vulndb.Event{intro("0"), fixed("0.0.0-20220315160706-3147a52a75dd")}}}}, "v0.0.0-20211202192323-5770296d904e", true, "0.0.0-20220315160706-3147a52a75dd"},
		{"go pseudo-version above the fix", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{{Type: vulndb.RangeSemver, Events: []vulndb.Event{intro("0"), fixed("0.0.0-20220315160706-3147a52a75dd")}}}}, "v0.17.0", false, ""},
		{"introduced equals fixed means nothing", version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("1.0.0"), fixed("1.0.0"))}}, "1.0.0", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Evaluate(tc.scheme, tc.affected, tc.installed)
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if got.Affected != tc.want || got.Nearest != tc.nearest {
				t.Errorf("Evaluate(%s) = affected %t nearest %q; want %t %q (evidence %+v)", tc.installed, got.Affected, got.Nearest, tc.want, tc.nearest, got.Evidence)
			}
		})
	}
}

func TestEvaluateEvidenceAndFixes(t *testing.T) {
	a := vulndb.Affected{Ranges: []vulndb.Range{
		{Type: vulndb.RangeGit, Events: []vulndb.Event{intro("0"), fixed("deadbeef")}},
		eco(intro("1.0.0"), fixed("1.5.0"), intro("2.0.0"), fixed("2.3.0")),
	}}
	got, err := Evaluate(version.SemVer{}, a, "2.1.0")
	if err != nil {
		t.Fatal(err)
	}
	want := Verdict{
		Affected: true,
		Evidence: Evidence{Source: "range", RangeIndex: 1, RangeType: vulndb.RangeEcosystem, Events: a.Ranges[1].Events},
		Fixed:    []string{"1.5.0", "2.3.0"},
		Nearest:  "2.3.0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Evaluate (-want +got):\n%s", diff)
	}
}

func TestEvaluateUnparsable(t *testing.T) {
	if _, err := Evaluate(version.Deb{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("1.0"))}}, "not a version!"); err == nil {
		t.Error("an unparsable installed version was accepted")
	}
	// A bad event fails its range only; a good range still decides.
	a := vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("???")), eco(intro("0"), fixed("2.0.0"))}}
	got, err := Evaluate(version.SemVer{}, a, "1.0.0")
	if err != nil || !got.Affected || got.Evidence.RangeIndex != 1 {
		t.Errorf("got %+v, %v; want affected by range 1", got, err)
	}
	if _, err := Evaluate(version.SemVer{}, vulndb.Affected{Ranges: []vulndb.Range{eco(intro("0"), fixed("???"))}}, "1.0.0"); err == nil {
		t.Error("a range that cannot be evaluated was silently treated as not affected")
	}
}

// FuzzEvaluate builds a range from fuzzed versions: no panic, and an affected
// verdict always has evidence.
func FuzzEvaluate(f *testing.F) {
	f.Add("1.0.0", "0", "2.0.0", "", "1.5.0", "deb")
	f.Add("1:2.3-1", "1:2.0-1", "", "1:2.2-1", "", "deb")
	f.Add("1.0a1", "0", "1.0", "", "2.0", "pep440")
	f.Add("2.0.0", "1.0.0", "", "2.0.0", "", "semver")
	f.Fuzz(func(t *testing.T, installed, in, fix, lastAff, lim, schemeName string) {
		var s version.Scheme = version.SemVer{}
		for _, x := range version.Schemes() {
			if x.Name() == schemeName {
				s = x
			}
		}
		var events []vulndb.Event
		for _, e := range []vulndb.Event{intro(in), fixed(fix), last(lastAff), limit(lim)} {
			if eventVersion(e) != "" {
				events = append(events, e)
			}
		}
		got, err := Evaluate(s, vulndb.Affected{Ranges: []vulndb.Range{eco(events...)}, Versions: []string{fix}}, installed)
		if err == nil && got.Affected && got.Evidence.Source == "" {
			t.Fatalf("affected without evidence: %+v", got)
		}
		// Against a reference that compares the strings each time, the way the
		// sweep reads in OSV's schema: parsing once must not change a verdict.
		if want, ok := referenceInRange(s, events, installed); ok && err == nil && got.Evidence.Source != "versions" && got.Affected != want {
			t.Fatalf("Evaluate(%q, %+v) affected = %t; the reference says %t", installed, events, got.Affected, want)
		}
	})
}

// referenceInRange evaluates one ECOSYSTEM range by comparing version strings
// with s.Compare at every step; ok is false when a version does not parse.
func referenceInRange(s version.Scheme, events []vulndb.Event, v string) (affected, ok bool) {
	if _, err := s.Compare(v, v); err != nil {
		return false, false
	}
	key := func(e vulndb.Event) (int, string) {
		switch {
		case e.Introduced == "0":
			return -1, ""
		case e.Limit == "*":
			return 1, ""
		}
		return 0, eventVersion(e)
	}
	sorted := slices.Clone(events)
	for _, e := range sorted {
		if r, x := key(e); r == 0 {
			if _, err := s.Compare(x, x); err != nil {
				return false, false
			}
		}
	}
	slices.SortStableFunc(sorted, func(a, b vulndb.Event) int {
		ra, xa := key(a)
		rb, xb := key(b)
		if ra != 0 || rb != 0 {
			return ra - rb
		}
		c, _ := s.Compare(xa, xb)
		return c
	})
	below := func(x string) int { c, _ := s.Compare(v, x); return c }
	var limits []vulndb.Event
	for _, e := range sorted {
		switch {
		case e.Introduced != "":
			if e.Introduced == "0" || below(e.Introduced) >= 0 {
				affected = true
			}
		case e.Fixed != "":
			if below(e.Fixed) >= 0 {
				affected = false
			}
		case e.LastAffected != "":
			if below(e.LastAffected) > 0 {
				affected = false
			}
		case e.Limit != "":
			limits = append(limits, e)
		}
	}
	if !affected || len(limits) == 0 {
		return affected, true
	}
	for _, l := range limits {
		if l.Limit == "*" || below(l.Limit) < 0 {
			return true, true
		}
	}
	return false, true
}

func TestGoToolchainVersion(t *testing.T) {
	for in, want := range map[string]string{
		"go1.21.3":                 "1.21.3",
		"go1.20":                   "1.20.0",
		"go1.22rc2":                "1.22.0-rc.2",
		"go1.21beta1":              "1.21.0-beta.1",
		"go1.21.0 X:boringcrypto":  "1.21.0",
		"v1.2.3":                   "v1.2.3",
		"devel go1.23-abc1234 Tue": "devel go1.23-abc1234 Tue",
	} {
		if got := GoToolchainVersion(in); got != want {
			t.Errorf("GoToolchainVersion(%q) = %q, want %q", in, got, want)
		}
	}
	a := vulndb.Affected{Ranges: []vulndb.Range{{Type: vulndb.RangeSemver, Events: []vulndb.Event{intro("0"), fixed("1.19.10")}}}}
	if v, err := Evaluate(version.SemVer{}, a, GoToolchainVersion("go1.19.9")); err != nil || !v.Affected {
		t.Errorf("go1.19.9 against fixed 1.19.10: %+v, %v", v, err)
	}
	if v, err := Evaluate(version.SemVer{}, a, GoToolchainVersion("go1.20rc1")); err != nil || v.Affected {
		t.Errorf("go1.20rc1 against fixed 1.19.10: %+v, %v", v, err)
	}
}

func TestEvaluateSemverRangeOnNonSemverVersion(t *testing.T) {
	// PEP 440 "1!5.0" is not SemVer: a SEMVER range cannot judge it, and must say
	// so rather than compare it as equal to every event.
	for _, events := range [][]vulndb.Event{{intro("0"), last("1.0.0")}, {intro("0"), fixed("1.0.0")}} {
		a := vulndb.Affected{Ranges: []vulndb.Range{{Type: vulndb.RangeSemver, Events: events}}}
		v, err := Evaluate(version.PEP440{}, a, "1!5.0")
		if err == nil || v.Affected {
			t.Errorf("events %v: Evaluate = %+v, %v; want an error and not affected", events, v, err)
		}
	}
}

// TestEvaluateFixesPerRangeScheme pins how fixed versions are ordered and the
// nearest fix picked: each range's fixes are ordered under that range's scheme
// (SemVer for a SEMVER range, whatever the ecosystem), as they always were, and
// an event carrying both introduced and fixed still counts its fix.
func TestEvaluateFixesPerRangeScheme(t *testing.T) {
	tests := []struct {
		name      string
		scheme    version.Scheme
		a         vulndb.Affected
		installed string
		fixed     []string
		nearest   string
	}{
		{
			name:   "SEMVER range in PyPI sorts its fixes as SemVer",
			scheme: version.PEP440{},
			a: vulndb.Affected{Ranges: []vulndb.Range{{Type: vulndb.RangeSemver, Events: []vulndb.Event{
				intro("0"), fixed("1.0.0-rc.1"), intro("1.0.0-rc.2"), fixed("1.0.0-1")}}}},
			installed: "0.9.0",
			fixed:     []string{"1.0.0-1", "1.0.0-rc.1"},
			nearest:   "1.0.0-1",
		},
		{
			name:   "introduced and fixed in one event",
			scheme: version.SemVer{},
			a: vulndb.Affected{Ranges: []vulndb.Range{eco(
				vulndb.Event{Introduced: "1.0.0", Fixed: "2.0.0"})}},
			installed: "1.5.0",
			fixed:     []string{"2.0.0"},
			nearest:   "2.0.0",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Evaluate(tc.scheme, tc.a, tc.installed)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Fixed, tc.fixed) || got.Nearest != tc.nearest {
				t.Errorf("Evaluate = fixed %q nearest %q; want %q %q", got.Fixed, got.Nearest, tc.fixed, tc.nearest)
			}
		})
	}
}
