package semver

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from the SemVer 2.0.0
// specification §11, the Go modules reference (pseudo-versions,
// +incompatible) and real npm, Go and crates.io versions from OSV records.
var ascending = [][]string{
	// SemVer 2.0.0 §11.
	{"1.0.0", "2.0.0", "2.1.0", "2.1.1"},
	{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"},
	{"1.0.0-0", "1.0.0-1", "1.0.0-9", "1.0.0-10", "1.0.0-A", "1.0.0-Z", "1.0.0-a", "1.0.0-z", "1.0.0"},
	{"1.0.0-alpha.0", "1.0.0-alpha-1", "1.0.0-alpha-2", "1.0.0-alpha0"},
	{"1.9.0", "1.10.0", "1.11.0", "10.0.0"},
	// Go pseudo-versions sit between the surrounding tags.
	{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-000000000000", "v0.0.0-20240101000000-ffffffffffff", "v0.1.0"},
	{"v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0.20200101000000-aaaaaaaaaaaa", "v1.2.4"},
	{"v1.2.3-pre", "v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre.1", "v1.2.3"},
	{"v1.2.3-rc.1", "v1.2.3-rc.1.0.20191109021931-daa7c04131f5", "v1.2.3-rc.2"},
	// +incompatible is build metadata; order follows the version core.
	{"v2.0.0+incompatible", "v2.0.1+incompatible", "v2.1.0-rc.1+incompatible", "v2.1.0+incompatible", "v3.0.0"},
	// Real OSV ranges.
	{"0.0.0-20220314234659-1baeb1ce4c0b", "0.0.0-20220315160706-3147a52a75dd"}, // golang.org/x/crypto
	{"1.9.3", "1.10.0-0.20240101000000-abcdef012345", "1.10.0"},
	{"4.17.20", "4.17.21", "4.18.0-beta.1", "4.18.0"},                 // lodash, express
	{"7.5.1", "7.5.2", "7.5.3", "7.6.0"},                              // semver (npm)
	{"8.0.0-alpha.1", "8.0.0-beta.1", "8.0.0-rc.1", "8.0.0", "8.0.1"}, // npm pre-releases
	{"0.9.0", "0.10.0-alpha.1", "0.10.0", "0.10.1"},                   // crates
	{"1.0.0-rc.9", "1.0.0-rc.10", "1.0.0-rc.11", "1.0.0"},
	// Shorthand and leading zeros.
	{"0", "0.1", "0.1.1", "1", "1.0.1", "1.1"},
	// Numbers of any length.
	{"1.18446744073709551615.0", "1.18446744073709551616.0", "1.99999999999999999999999.0"},
	{"1.0.0-18446744073709551616", "1.0.0-18446744073709551617", "1.0.0-a"},
}

func TestCompareAscending(t *testing.T) {
	for _, chain := range ascending {
		t.Run(strings.Join(chain, "<"), func(t *testing.T) {
			ordertest.Ascending(t, chain, Parse, compare)
		})
	}
}

func TestCompareTable(t *testing.T) {
	ordertest.Table(t, []ordertest.Case{
		{A: "1.0.0", B: "v1.0.0", Want: 0},
		{A: "1.0.0", B: "V1.0.0", Want: 0},
		{A: "1.0.0+build.1", B: "1.0.0+build.2", Want: 0},
		{A: "1.0.0+20130313144700", B: "1.0.0", Want: 0},
		{A: "1.0.0-beta+exp.sha.5114f85", B: "1.0.0-beta", Want: 0},
		{A: "v2.0.0+incompatible", B: "2.0.0", Want: 0},
		{A: "1.2", B: "1.2.0", Want: 0},
		{A: "1", B: "1.0.0", Want: 0},
		{A: "01.02.03", B: "1.2.3", Want: 0},
		{A: "1.0.0-01", B: "1.0.0-1", Want: 0},
		{A: "1.0.0-rc.1", B: "1.0.0", Want: -1},
		{A: "1.0.0-alpha", B: "1.0.0-Alpha", Want: 1}, // ASCII: 'A' < 'a'
		{A: "v1.2.4-0.20191109021931-daa7c04131f5", B: "v1.2.3", Want: 1},
		{A: "v1.2.4-0.20191109021931-daa7c04131f5", B: "v1.2.4-alpha", Want: -1},
		{A: " 1.0.0\n", B: "1.0.0", Want: 0},
	}, Parse, compare)
}

func TestParse(t *testing.T) {
	type parts struct {
		Canonical, Prerelease, Build string
		IsPrerelease                 bool
	}
	tests := []struct {
		in   string
		want parts
	}{
		{"1.2.3", parts{"1.2.3", "", "", false}},
		{"v1.2.3-rc.1+meta.2", parts{"1.2.3-rc.1+meta.2", "rc.1", "meta.2", true}},
		{"v2.0.0+incompatible", parts{"2.0.0+incompatible", "", "incompatible", false}},
		{"1.2", parts{"1.2.0", "", "", false}},
		{"007.0.1-x-y-z.--", parts{"7.0.1-x-y-z.--", "x-y-z.--", "", true}},
		{"v0.0.0-20191109021931-daa7c04131f5", parts{"0.0.0-20191109021931-daa7c04131f5", "20191109021931-daa7c04131f5", "", true}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got := parts{v.Canonical(), v.Prerelease(), v.Build(), v.IsPrerelease()}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, diff)
			}
			if v.String() != tc.in {
				t.Errorf("String() = %q, want %q", v.String(), tc.in)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, wantErr string }{
		{"", "empty version"},
		{"v", "empty version"},
		{"1.2.3.4", "4 numeric fields, want at most 3"},
		{"1.2.x", `patch "x" is not a number`},
		{"1..3", `minor "" is not a number`},
		{"a.b.c", `major "a" is not a number`},
		{"-1.0.0", `major "" is not a number`},
		{"1.0.0-", "empty pre-release"},
		{"1.0.0+", "empty build metadata"},
		{"1.0.0-rc..1", `empty identifier in pre-release "rc..1"`},
		{"1.0.0-rc_1", `invalid character '_' in pre-release`},
		{"1.0.0+a b", `invalid character ' ' in build metadata`},
		{"1.0.0 beta", `patch "0 beta" is not a number`},
		{">=1.0.0", `major ">=1" is not a number`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "semver version") {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tc.in, err, tc.wantErr)
			}
		})
	}
}

// TestReference checks pairs ordered by a reference implementation; see
// testdata/README.md.
func TestReference(t *testing.T) {
	ordertest.File(t, "testdata/reference.tsv", Parse, compare)
}
