package match

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

type fakeEnricher struct {
	cvss map[string][]vulndb.CVSS
	kev  map[string]vulndb.KEV
	epss map[string]vulndb.EPSS
}

func (f fakeEnricher) CVEInfo(_ context.Context, cves []string) (map[string]*vulndb.CVEInfo, error) {
	out := map[string]*vulndb.CVEInfo{}
	for _, cve := range cves {
		i := &vulndb.CVEInfo{NVD: f.cvss[cve]}
		if k, ok := f.kev[cve]; ok {
			i.KEV = &k
		}
		if e, ok := f.epss[cve]; ok {
			i.EPSS = &e
		}
		out[cve] = i
	}
	return out, nil
}

func TestEnrich(t *testing.T) {
	e := fakeEnricher{
		cvss: map[string][]vulndb.CVSS{
			"CVE-1": {{Source: "nvd", Version: "2.0", Vector: "AV:N/AC:L/Au:N/C:C/I:C/A:C"}, {Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
			"CVE-2": {{Source: "nvd", Version: "2.0", Vector: "AV:N/AC:M/Au:N/C:P/I:P/A:P"}},
		},
		kev:  map[string]vulndb.KEV{"CVE-1": {CVE: "CVE-1", DateAdded: "2024-01-02"}},
		epss: map[string]vulndb.EPSS{"CVE-1": {CVE: "CVE-1", Score: 0.9, Percentile: 0.99, Date: "2026-11-01"}},
	}
	fs := []Finding{
		{ID: "CVE-1"},
		{ID: "GHSA-x", Aliases: []string{"CVE-2"}},
		{ID: "USN-1", Severity: []vulndb.Severity{{Type: vulndb.SeverityUbuntu, Score: "Low"}, {Type: vulndb.SeverityCVSSv3, Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}},
		{ID: "PYSEC-1"},
	}
	if err := Enrich(context.Background(), e, fs); err != nil {
		t.Fatal(err)
	}
	type view struct {
		Level, Version string
		Score          float64
		KEV            bool
		EPSS           float64
	}
	var got []view
	for _, f := range fs {
		v := view{Level: f.SeverityLevel, KEV: f.Exploit.KnownExploited}
		if f.CVSS != nil {
			v.Version, v.Score = f.CVSS.Version, f.CVSS.Base
		}
		if f.Exploit.EPSS != nil {
			v.EPSS = f.Exploit.EPSS.Score
		}
		got = append(got, v)
	}
	want := []view{
		{Level: "critical", Version: "3.1", Score: 9.8, KEV: true, EPSS: 0.9}, // v3.1 preferred over v2
		{Level: "medium", Version: "2.0", Score: 6.8},                         // through the CVE alias
		{Level: "low", Version: "3.1", Score: 9.8},                            // the distribution's rating wins
		{Level: "unknown"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("enrichment (-want +got):\n%s", diff)
	}
}

func TestSeverity(t *testing.T) {
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity accepted an unknown level")
	}
	if l, err := ParseSeverity(" High "); err != nil || l != "high" {
		t.Errorf("ParseSeverity(High) = %q, %v", l, err)
	}
	if !(SeverityRank("critical") > SeverityRank("high") && SeverityRank("low") > SeverityRank("unknown")) {
		t.Error("severity order is wrong")
	}
}

func TestMergeSorted(t *testing.T) {
	for _, tc := range []struct{ a, b, want []string }{
		{nil, nil, nil},
		{nil, []string{"a"}, []string{"a"}},
		{[]string{"a"}, nil, []string{"a"}},
		{[]string{"a", "c", "e"}, []string{"b", "c", "d", "f"}, []string{"a", "b", "c", "d", "e", "f"}},
		{[]string{"a", "b"}, []string{"a", "b"}, []string{"a", "b"}},
	} {
		if got := mergeSorted(tc.a, tc.b); !slices.Equal(got, tc.want) {
			t.Errorf("mergeSorted(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestEnrichHalves enriches enough findings to be split in two, with CVEs
// shared across the halves, and checks that each CVE is asked for once, in
// order, and that every finding gets its own CVE's score.
func TestEnrichHalves(t *testing.T) {
	var asked []string
	e := recordingEnricher{fakeEnricher{epss: map[string]vulndb.EPSS{}}, &asked}
	var fs []Finding
	for i := range 3000 {
		cve := fmt.Sprintf("CVE-2024-%d", i%1700) // findings 1700.. repeat the first CVEs
		e.epss[cve] = vulndb.EPSS{CVE: cve, Score: float64(i%1700) / 1700}
		fs = append(fs, Finding{ID: "GHSA-" + fmt.Sprint(i), Aliases: []string{cve}})
	}
	if err := Enrich(context.Background(), e, fs); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1700 || !slices.IsSorted(asked) || len(slices.Compact(slices.Clone(asked))) != 1700 {
		t.Errorf("asked for %d CVEs (sorted %v), want 1700, sorted, each once", len(asked), slices.IsSorted(asked))
	}
	for i, f := range fs {
		if want := float64(i%1700) / 1700; f.Exploit.EPSS == nil || f.Exploit.EPSS.Score != want {
			t.Fatalf("finding %d: EPSS %+v, want score %v", i, f.Exploit.EPSS, want)
		}
	}
}

type recordingEnricher struct {
	fakeEnricher
	asked *[]string
}

func (r recordingEnricher) CVEInfo(ctx context.Context, cves []string) (map[string]*vulndb.CVEInfo, error) {
	*r.asked = append(*r.asked, cves...)
	return r.fakeEnricher.CVEInfo(ctx, cves)
}
