package vex

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
	lodash := Product{VulnIDs: []string{"CVE-2018-3721", "NSWG-ECO-368"}, PURL: "pkg:npm/lodash@4.17.4", Image: []string{"sha256:abc"}}
	other := Product{VulnIDs: []string{"CVE-2018-3721"}, PURL: "pkg:npm/lodash@4.17.21", Image: []string{"sha256:abc"}}
	otherImage := Product{VulnIDs: []string{"CVE-2018-3721"}, PURL: "pkg:npm/lodash@4.17.4", Image: []string{"sha256:def", "registry.example/app:1"}}
	byGHSA := Product{VulnIDs: []string{"GHSA-fvqr-27wr-82fm"}, PURL: "pkg:npm/lodash@4.17.4", Image: []string{"sha256:abc"}}
	imageWide := Product{VulnIDs: []string{"CVE-2099-0001"}, PURL: "pkg:deb/debian/passwd@1", Image: []string{"sha256:imagedigest"}}
	tests := []struct {
		name     string
		file     string
		stmt     int
		p        Product
		applies  bool
		suppress bool
	}{
		{"subcomponent of the image", "openvex.json", 0, lodash, true, true},
		{"subcomponent, another version", "openvex.json", 0, other, false, true},
		{"subcomponent in another image", "openvex.json", 0, otherImage, false, true},
		{"subcomponent through the alias", "openvex.json", 0, byGHSA, true, true},
		{"another vulnerability", "openvex.json", 1, lodash, false, false},
		{"the image's digest names every package", "openvex.json", 2, imageWide, true, true},
		{"bom-ref resolved to its purl", "cyclonedx-vex.json", 0, lodash, true, true},
		{"exploitable", "cyclonedx-vex.json", 1, Product{VulnIDs: []string{"CVE-2018-16487"}, PURL: "pkg:npm/lodash@4.17.4"}, true, false},
		{"cdx reference alias", "cyclonedx-vex.json", 2, Product{VulnIDs: []string{"CVE-2000-1"}, PURL: "pkg:npm/other@1.0"}, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := parseFile(t, tc.file)[tc.stmt]
			if got := st.Applies(tc.p); got != tc.applies {
				t.Errorf("%s #%d Applies(%+v) = %t, want %t", tc.file, tc.stmt, tc.p, got, tc.applies)
			}
			if got := st.Suppresses(); got != tc.suppress {
				t.Errorf("%s #%d Suppresses = %t, want %t", tc.file, tc.stmt, got, tc.suppress)
			}
		})
	}
}

// TestSubcomponentsStayScoped: "image X: component Y" speaks of Y inside X only,
// never of X's other packages nor of Y in other images.
func TestSubcomponentsStayScoped(t *testing.T) {
	const doc = `{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{
  "vulnerability": "CVE-1",
  "products": [{"@id": "pkg:oci/app@sha256%3Aabc?repository_url=registry.example/app",
                "subcomponents": [{"@id": "pkg:deb/debian/openssl"}, {"identifiers": {"purl": "pkg:npm/y@1.0"}}]}],
  "status": "not_affected", "justification": "component_not_present"}]}`
	st, err := Parse([]byte(doc), "scoped.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []ScopedProduct{{
		Product:       []string{"pkg:oci/app@sha256%3Aabc?repository_url=registry.example/app"},
		Subcomponents: []string{"pkg:deb/debian/openssl", "pkg:npm/y@1.0"},
	}}
	if diff := cmp.Diff(want, st[0].Scoped); diff != "" {
		t.Errorf("Scoped (-want +got):\n%s", diff)
	}
	if len(st[0].Products) != 0 {
		t.Errorf("Products = %q, want none: subcomponents are not products", st[0].Products)
	}
	imageX := []string{"sha256:abc", "registry.example/app:1"}
	for _, tc := range []struct {
		name  string
		purl  string
		image []string
		want  bool
	}{
		{"versionless subcomponent in X", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", imageX, true},
		{"versioned subcomponent in X", "pkg:npm/y@1.0", imageX, true},
		{"subcomponent at another version", "pkg:npm/y@2.0", imageX, false},
		{"another package of X", "pkg:deb/debian/zlib@1.2", imageX, false},
		{"subcomponent in another image", "pkg:deb/debian/openssl@3.0.11-1", []string{"sha256:def"}, false},
		{"subcomponent with no image", "pkg:deb/debian/openssl@3.0.11-1", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Product{VulnIDs: []string{"CVE-1"}, PURL: tc.purl, Image: tc.image}
			if got := st[0].Applies(p); got != tc.want {
				t.Errorf("Applies(%+v) = %t, want %t", p, got, tc.want)
			}
		})
	}
}

func TestIdentifiesImage(t *testing.T) {
	refs := []string{"sha256:abc", "registry.example/app@sha256:abc", "registry.example/app:1"}
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"sha256:abc", true},
		{"registry.example/app:1", true},
		{"registry.example/app@sha256:abc", true},
		{"pkg:oci/app@sha256:abc", true},
		{"pkg:oci/app@sha256%3Aabc?arch=amd64", true},
		{"pkg:oci/app@sha256%3Adef", false},
		{"registry.example/app:2", false},
		{"", false},
	} {
		if got := identifiesImage(tc.id, refs); got != tc.want {
			t.Errorf("identifiesImage(%q) = %t, want %t", tc.id, got, tc.want)
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
		{"bad statement time", `{"@context":"https://openvex.dev/ns","statements":[{"vulnerability":"CVE-1","status":"fixed","timestamp":"yesterday"}]}`, `statement 1: timestamp "yesterday"`},
		{"bad last_updated", `{"@context":"https://openvex.dev/ns","statements":[{"vulnerability":"CVE-1","status":"fixed","last_updated":"2026"}]}`, `statement 1: last_updated "2026"`},
		{"bad document time", `{"@context":"https://openvex.dev/ns","timestamp":"2026-13-01"}`, `timestamp "2026-13-01"`},
		{"bad cdx time", `{"bomFormat":"CycloneDX","vulnerabilities":[{"id":"CVE-1","analysis":{"lastUpdated":"soon"}}]}`, `analysis.lastUpdated "soon"`},
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
	for _, name := range []string{"openvex.json", "openvex-history.json", "cyclonedx-vex.json"} {
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
			p := Product{VulnIDs: []string{s.Vulnerability}, PURL: "pkg:npm/a@1", Image: []string{"sha256:abc"}}
			_ = s.Applies(p)
			if r, ok := Resolve(st, p); ok && !r.Applies(p) {
				t.Fatalf("Resolve returned a statement that does not apply: %+v", r)
			}
		}
	})
}
