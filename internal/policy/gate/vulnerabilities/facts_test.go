package vulnerabilities_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/vulnerabilities"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// store is an in-memory vulnerabilities.Store.
type store struct {
	records map[string]*vulndb.Vulnerability
	seen    map[string]map[string]time.Time
	ecos    map[string]bool
}

func (s store) Briefs(_ context.Context, ids []string) (map[string]*vulndb.Brief, error) {
	out := map[string]*vulndb.Brief{}
	for _, id := range ids {
		if r, ok := s.records[id]; ok {
			out[id] = vulndb.BriefOf(r)
		}
	}
	return out, nil
}
func (s store) FixSeen(_ context.Context, id string) (map[string]time.Time, error) {
	return s.seen[id], nil
}
func (s store) HasEcosystem(_ context.Context, eco string) (bool, error) {
	return s.ecos[vulndb.NormalizeEcosystem(eco)], nil
}

func ts(t time.Time) *vulndb.Timestamp { return &vulndb.Timestamp{Time: t} }

func debRecord(id string, published time.Time, fixed string, specific string) *vulndb.Vulnerability {
	a := vulndb.Affected{Package: vulndb.Package{Ecosystem: "Debian:12", Name: "zlib"}}
	if fixed != "" {
		a.Ranges = []vulndb.Range{{Type: vulndb.RangeEcosystem, Events: []vulndb.Event{{Introduced: "0"}, {Fixed: fixed}}}}
	}
	if specific != "" {
		a.EcosystemSpecific = json.RawMessage(specific)
	}
	return &vulndb.Vulnerability{ID: id, Modified: vulndb.Timestamp{Time: published.Add(time.Hour)}, Published: ts(published), Affected: []vulndb.Affected{a}}
}

func debFinding(id string, fixed string) match.Finding {
	f := match.Finding{ID: id, SeverityLevel: "high", FixState: match.NotFixed, Ecosystem: "Debian:12",
		Package:  match.PackageRef{ID: "p-zlib", Name: "zlib1g", Version: "1", Type: sbom.TypeDeb},
		Evidence: []match.MatchEvidence{{Record: id, Ecosystem: "Debian:12", Name: "zlib"}}}
	if fixed != "" {
		f.FixState, f.FixedVersions, f.NearestFix = match.Fixed, []string{fixed}, fixed
		f.Evidence[0].Evidence = match.Evidence{Source: "range", RangeType: vulndb.RangeEcosystem, Events: []vulndb.Event{{Introduced: "0"}, {Fixed: fixed}}}
	}
	return f
}

func wontFixFinding(id string) match.Finding {
	f := debFinding(id, "")
	f.FixState = match.WontFix
	return f
}

// TestVendorOnly: findings the distribution will not fix (the matcher's
// wont-fix state, from its no-dsa and ignored marks) are silenced unless
// vendor_only is false; Anchore's default is true.
func TestVendorOnly(t *testing.T) {
	s := store{}
	in := &gate.Input{Vulnerabilities: true, Now: now, Findings: []match.Finding{wontFixFinding("CVE-A"), debFinding("CVE-B", ""), wontFixFinding("CVE-C")}}
	if err := vulnerabilities.Gather(context.Background(), s, in, vulnerabilities.Needs{Vendor: true}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		trigger string
		args    map[string]string
		want    []string
	}{
		{"package", nil, []string{"CVE-B+zlib1g@0"}},
		{"package", map[string]string{"vendor_only": "false"}, []string{"CVE-A+zlib1g@0", "CVE-B+zlib1g@0", "CVE-C+zlib1g@0"}},
		{"blacklist", map[string]string{"vulnerability_ids": "CVE-A,CVE-B"}, []string{"CVE-B+zlib1g@0"}},
		{"blacklist", map[string]string{"vulnerability_ids": "CVE-A,CVE-B", "vendor_only": "false"}, []string{"CVE-A+zlib1g@0", "CVE-B+zlib1g@0"}},
	} {
		got := gatetest.IDs(gatetest.Run(t, vulnerabilities.New(), tc.trigger, tc.args, in))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s %v (-want +got):\n%s", tc.trigger, tc.args, diff)
		}
	}
}

// TestMaxDaysSinceFix: the fix date is when an update first saw the fix added
// (FixSeen), else the record's publication; the parameter counts only with
// fix_available true, as in Anchore.
func TestMaxDaysSinceFix(t *testing.T) {
	day := 24 * time.Hour
	s := store{
		records: map[string]*vulndb.Vulnerability{
			"CVE-OLD":   debRecord("CVE-OLD", now.Add(-100*day), "2", ""),   // published with its fix 100 days ago
			"CVE-ADDED": debRecord("CVE-ADDED", now.Add(-100*day), "2", ""), // published unfixed; the fix came 5 days ago
			"CVE-NEW":   debRecord("CVE-NEW", now.Add(-3*day), "2", ""),
		},
		seen: map[string]map[string]time.Time{"CVE-ADDED": {"2": now.Add(-5 * day)}},
	}
	in := &gate.Input{Vulnerabilities: true, Now: now, Findings: []match.Finding{
		debFinding("CVE-ADDED", "2"), debFinding("CVE-NEW", "2"), debFinding("CVE-OLD", "2"), debFinding("CVE-UNFIXED", "")}}
	if err := vulnerabilities.Gather(context.Background(), s, in, vulnerabilities.Needs{FixDates: true}); err != nil {
		t.Fatal(err)
	}
	got := gatetest.IDs(gatetest.Run(t, vulnerabilities.New(), "package", map[string]string{"fix_available": "true", "max_days_since_fix": "30"}, in))
	if diff := cmp.Diff([]string{"CVE-OLD+zlib1g@0"}, got); diff != "" {
		t.Errorf("fires (-want +got):\n%s", diff)
	}
	got = gatetest.IDs(gatetest.Run(t, vulnerabilities.New(), "package", map[string]string{"max_days_since_fix": "30"}, in))
	if len(got) != 4 {
		t.Errorf("without fix_available the parameter must be ignored, as in Anchore: %v", got)
	}
}

// TestUncovered: an image whose distribution release (or language ecosystem)
// has no advisory in the database fires vulnerability_data_unavailable.
func TestUncovered(t *testing.T) {
	s := store{ecos: map[string]bool{"Debian:11": true, "npm": true}}
	in := &gate.Input{Vulnerabilities: true, Now: now, Distro: &sbom.Distro{ID: "debian", VersionID: "12"},
		SBOM: &sbom.SBOM{Packages: []sbom.Package{{Name: "zlib1g", Type: sbom.TypeDeb}, {Name: "lodash", Type: sbom.TypeNpm}, {Name: "django", Type: sbom.TypePython}}}}
	if err := vulnerabilities.Gather(context.Background(), s, in, vulnerabilities.Needs{Coverage: true}); err != nil {
		t.Fatal(err)
	}
	fires := gatetest.Run(t, vulnerabilities.New(), "vulnerability_data_unavailable", nil, in)
	got := gatetest.IDs(fires)
	if diff := cmp.Diff([]string{"vulnerability_data_unavailable:Debian:12@-", "vulnerability_data_unavailable:PyPI@-"}, got); diff != "" {
		t.Errorf("fires (-want +got):\n%s", diff)
	}
	// Anchore's ID hashes its message naming the distribution; only the distribution's firing has one.
	if fires[0].Anchore != gate.AnchoreID("vulnerabilities", "vulnerability_data_unavailable", "Feed data unavailable, cannot perform CVE scan for distro: debian:12") || fires[1].Anchore != "" {
		t.Errorf("anchore IDs %q, %q", fires[0].Anchore, fires[1].Anchore)
	}
	in.Uncovered = nil
	if got := gatetest.Run(t, vulnerabilities.New(), "vulnerability_data_unavailable", nil, in); len(got) != 0 {
		t.Errorf("covered image fired: %v", got)
	}
}

// TestGatherPublished keeps max_days_since_creation's dates: the earliest
// publication among the records that matched.
func TestGatherPublished(t *testing.T) {
	s := store{records: map[string]*vulndb.Vulnerability{"CVE-A": debRecord("CVE-A", now.Add(-9*24*time.Hour), "", "")}}
	in := &gate.Input{Findings: []match.Finding{debFinding("CVE-A", ""), debFinding("CVE-GONE", "")}}
	if err := vulnerabilities.Gather(context.Background(), s, in, vulnerabilities.Needs{Published: true}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]time.Time{"CVE-A": now.Add(-9 * 24 * time.Hour)}, in.Published); diff != "" {
		t.Errorf("published (-want +got):\n%s", diff)
	}
}
