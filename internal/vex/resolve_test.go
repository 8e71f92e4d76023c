package vex

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestResolve(t *testing.T) {
	history := parseFile(t, "openvex-history.json")
	cdx, err := Parse([]byte(`{"bomFormat": "CycloneDX", "vulnerabilities": [
  {"id": "CVE-2018-3721", "analysis": {"state": "exploitable", "firstIssued": "2026-11-05T00:00:00Z", "lastUpdated": "2026-11-20T00:00:00Z"}, "affects": [{"ref": "pkg:npm/lodash@4.17.4"}]},
  {"id": "CVE-2018-16487", "analysis": {"state": "resolved", "firstIssued": "2026-11-20T00:00:00Z"}, "affects": [{"ref": "pkg:npm/lodash"}]},
  {"id": "CVE-2099-0001", "analysis": {"state": "not_affected"}, "affects": [{"ref": "pkg:npm/lodash"}]}]}`), "cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	lodash := func(id string) Product { return Product{VulnIDs: []string{id}, PURL: "pkg:npm/lodash@4.17.4"} }
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	type verdict struct {
		Status    Status
		Timestamp time.Time
		Source    string
	}
	tests := []struct {
		name       string
		statements []Statement
		p          Product
		want       *verdict // nil: no statement applies
		suppress   bool
	}{
		{"a later not_affected beats an earlier affected listed after it", history, lodash("CVE-2018-3721"),
			&verdict{NotAffected, day(10), "openvex-history.json"}, true},
		{"a later under_investigation revokes an earlier fixed", history, lodash("CVE-2018-16487"),
			&verdict{UnderInvestigation, day(15), "openvex-history.json"}, false},
		{"a statement without a time takes the document's", history[5:], lodash("CVE-2099-0001"),
			&verdict{Affected, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "openvex-history.json"}, false},
		{"lastUpdated across documents", append(append([]Statement{}, history...), cdx...), lodash("CVE-2018-3721"),
			&verdict{Affected, day(20), "cdx.json"}, false},
		{"firstIssued across documents", append(append([]Statement{}, history...), cdx...), lodash("CVE-2018-16487"),
			&verdict{Fixed, day(20), "cdx.json"}, true},
		{"an undated statement is older than a dated one", append(append([]Statement{}, cdx...), history...), lodash("CVE-2099-0001"),
			&verdict{Affected, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "openvex-history.json"}, false},
		{"last_updated counts when later than timestamp", history[1:], lodash("CVE-2018-3721"),
			&verdict{UnderInvestigation, day(8), "openvex-history.json"}, false},
		{"nothing applies", history, lodash("CVE-2000-1"), nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, ok := Resolve(tc.statements, tc.p)
			var got *verdict
			if ok {
				got = &verdict{st.Status, st.Timestamp, st.Source}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Resolve (-want +got):\n%s", diff)
			}
			if ok && st.Suppresses() != tc.suppress {
				t.Errorf("Suppresses = %t, want %t", st.Suppresses(), tc.suppress)
			}
		})
	}
}

func TestResolveOrderAmongUndated(t *testing.T) {
	a := Statement{Vulnerability: "CVE-1", Products: []string{"pkg:npm/a"}, Status: NotAffected, Source: "first"}
	b := Statement{Vulnerability: "CVE-1", Products: []string{"pkg:npm/a"}, Status: Affected, Source: "second"}
	p := Product{VulnIDs: []string{"CVE-1"}, PURL: "pkg:npm/a@1"}
	for _, tc := range []struct {
		name string
		in   []Statement
		want string
	}{
		{"affected last", []Statement{a, b}, "second"},
		{"not_affected last", []Statement{b, a}, "first"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, ok := Resolve(tc.in, p)
			if !ok || st.Source != tc.want {
				t.Errorf("Resolve = %q, %t; want %q", st.Source, ok, tc.want)
			}
		})
	}
}
