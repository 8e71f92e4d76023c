package vex

import (
	"os"
	"strings"
	"testing"
)

func parseFile(t *testing.T, name string) []Statement {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Parse(b, name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestApplies(t *testing.T) {
	lodash := Product{VulnIDs: []string{"CVE-2018-3721", "NSWG-ECO-368"}, PURL: "pkg:npm/lodash@4.17.4", Image: []string{"sha256:imagedigest"}}
	other := Product{VulnIDs: []string{"CVE-2018-3721"}, PURL: "pkg:npm/lodash@4.17.21"}
	byGHSA := Product{VulnIDs: []string{"GHSA-fvqr-27wr-82fm"}, PURL: "pkg:npm/lodash@4.17.4"}
	imageWide := Product{VulnIDs: []string{"CVE-2099-0001"}, PURL: "pkg:deb/debian/passwd@1", Image: []string{"sha256:imagedigest"}}
	tests := []struct {
		file     string
		stmt     int
		p        Product
		applies  bool
		suppress bool
	}{
		{"openvex.json", 0, lodash, true, true},       // subcomponent purl with version
		{"openvex.json", 0, other, false, true},       // another version
		{"openvex.json", 0, byGHSA, true, true},       // through the statement's alias
		{"openvex.json", 1, lodash, false, false},     // another vulnerability
		{"openvex.json", 2, imageWide, true, true},    // the image's digest names every package
		{"cyclonedx-vex.json", 0, lodash, true, true}, // bom-ref resolved to its purl; false_positive suppresses
		{"cyclonedx-vex.json", 1, Product{VulnIDs: []string{"CVE-2018-16487"}, PURL: "pkg:npm/lodash@4.17.4"}, true, false},
		{"cyclonedx-vex.json", 2, Product{VulnIDs: []string{"CVE-2000-1"}, PURL: "pkg:npm/other@1.0"}, true, true},
	}
	for _, tc := range tests {
		st := parseFile(t, tc.file)[tc.stmt]
		if got := st.Applies(tc.p); got != tc.applies {
			t.Errorf("%s #%d Applies(%+v) = %t, want %t", tc.file, tc.stmt, tc.p, got, tc.applies)
		}
		if got := st.Suppresses(); got != tc.suppress {
			t.Errorf("%s #%d Suppresses = %t, want %t", tc.file, tc.stmt, got, tc.suppress)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not json", "nope", "not JSON"},
		{"unknown format", `{"a":1}`, "neither OpenVEX"},
		{"bad status", `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":"CVE-1","products":["pkg:npm/a"],"status":"maybe"}]}`, `status "maybe"`},
		{"no vulnerability", `{"@context":"https://openvex.dev/ns","statements":[{"products":["x"],"status":"fixed"}]}`, "names nothing"},
		{"cdx without id", `{"bomFormat":"CycloneDX","vulnerabilities":[{"analysis":{"state":"resolved"}}]}`, "has no id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), "doc.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "doc.json") {
				t.Errorf("error = %v, want one naming doc.json and %q", err, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"openvex.json", "cyclonedx-vex.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := Parse(b, "fuzz")
		if err != nil {
			return
		}
		for _, s := range st {
			_ = s.Applies(Product{VulnIDs: []string{s.Vulnerability}, PURL: "pkg:npm/a@1"})
		}
	})
}
