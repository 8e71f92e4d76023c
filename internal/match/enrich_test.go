package match

import (
	"context"
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
