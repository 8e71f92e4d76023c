package composer

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from Composer's documentation
// (versions and constraints, stabilities), PHP's version_compare
// documentation and real Packagist versions from OSV records.
var ascending = [][]string{
	// Stabilities: dev < alpha < beta < RC < stable < patch.
	{"1.0.0-dev", "1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-RC1", "1.0.0-RC2",
		"1.0.0", "1.0.0-patch1", "1.0.0.1", "1.0.1"},
	{"1.0.0-alpha1-dev", "1.0.0-alpha1", "1.0.0-alpha1.1", "1.0.0-alpha2"},
	{"1.0-a1", "1.0-b1", "1.0-rc1", "1.0", "1.0-p1", "1.0-pl2"},
	{"0.9", "0.10", "1", "1.0.0.1", "1.1", "2"},
	// Numeric branches sort after every tag of the branch.
	{"2.0.0", "2.9.99", "2.x-dev", "3.0.0-alpha1", "3.0.0"},
	{"2.1.5", "2.1.x-dev", "2.2.0"},
	// Date versions.
	{"2010.01.02", "2010.01.02.1", "2010.01.03", "2011.01.01"},
	// Real Packagist versions.
	{"4.4.1", "4.4.49", "5.0.0-BETA1", "5.0.0-RC1", "5.0.0", "5.4.31", "6.0.0"}, // symfony
	{"6.5.7", "6.5.8", "7.0.0-beta", "7.0.0-rc1", "7.0.0", "7.4.5"},             // guzzle
	{"2.2.0", "2.2.1", "3.0.0-alpha", "3.0.0"},
	{"1.9.9", "v1.10.0", "v1.10.1", "v2.0.0-beta.1", "v2.0.0-beta.2", "v2.0.0"},
	// Numbers of any length.
	{"1.18446744073709551615", "1.18446744073709551616", "1.99999999999999999999999"},
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
		{A: "1.0", B: "1.0.0.0", Want: 0},
		{A: "v1.0.0", B: "1.0.0", Want: 0},
		{A: "1.0.0-beta.1", B: "1.0.0-beta1", Want: 0},
		{A: "1.0.0-b1", B: "1.0.0-BETA1", Want: 0},
		{A: "1.0.0-rc1", B: "1.0.0-RC.1", Want: 0},
		{A: "1.0.0+build.5", B: "1.0.0", Want: 0},
		{A: "1.0.0@beta", B: "1.0.0", Want: 0},
		{A: "1.0.0-stable", B: "1.0.0", Want: 0},
		{A: "1.0.0 as 2.0.0", B: "1.0.0", Want: 0},
		{A: "01.02", B: "1.2", Want: 0},
		{A: "1.0.0-pl1", B: "1.0.0-patch1", Want: 0},
		{A: "1.0.0-dev", B: "1.0.0-alpha", Want: -1},
		{A: "1.0.0-RC1", B: "1.0.0", Want: -1},
		{A: "1.0.0-patch1", B: "1.0.0", Want: 1},
		{A: "1.0.0-beta2-dev", B: "1.0.0-beta2", Want: -1},
		{A: "1.0.0-beta2-dev", B: "1.0.0-beta1", Want: 1},
		{A: "2.x-dev", B: "2.9999999.9999999.9999999-dev", Want: 0},
	}, Parse, compare)
}

func TestNormalized(t *testing.T) {
	tests := map[string]string{
		"1.0.0":              "1.0.0.0",
		"1.2":                "1.2.0.0",
		"v1.0.0":             "1.0.0.0",
		"1.0.0.4":            "1.0.0.4",
		"10.4.13-beta":       "10.4.13.0-beta",
		"10.4.13beta2":       "10.4.13.0-beta2",
		"1.0.0-rc.1":         "1.0.0.0-RC1",
		"1.0.0RC1dev":        "1.0.0.0-RC1-dev",
		"1.0.0-beta.1.2":     "1.0.0.0-beta1.2",
		"1.0-b2":             "1.0.0.0-beta2",
		"1.0-a":              "1.0.0.0-alpha",
		"2.0-pl1":            "2.0.0.0-patch1",
		"2.0-p":              "2.0.0.0-patch",
		"1.0.0-dev":          "1.0.0.0-dev",
		"1.0.0.dev":          "1.0.0.0-dev",
		"1.0.0-stable":       "1.0.0.0",
		"1.0.0+foo.bar":      "1.0.0.0",
		"1.0.0@alpha":        "1.0.0.0",
		"1.0.x-dev as 1.0.0": "1.0.9999999.9999999-dev",
		"2010-01-02":         "2010.01.02",
		"2010.01.02":         "2010.01.02.0", // the classical form wins over the date form
		"123456.0":           "123456.0",     // a major too long for the classical form
		"20100102-203040":    "20100102.203040",
		"2010-01-02.5":       "2010.01.02.5",
		"2.x-dev":            "2.9999999.9999999.9999999-dev",
		"2.1.x-dev":          "2.1.9999999.9999999-dev",
		"v3.*-dev":           "3.9999999.9999999.9999999-dev",
		"1.0.0-BETA":         "1.0.0.0-beta",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			v, err := Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, v.Normalized()); diff != "" {
				t.Errorf("Normalized(%q) (-want +got):\n%s", in, diff)
			}
			if v.String() != in {
				t.Errorf("String() = %q, want %q", v.String(), in)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
		branch  bool
	}{
		{in: "", wantErr: "empty version"},
		{in: "dev-main", wantErr: "named branch", branch: true},
		{in: "dev-feature/foo", wantErr: "named branch", branch: true},
		{in: "master", wantErr: "named branch", branch: true},
		{in: "feature-dev", wantErr: "named branch", branch: true},
		{in: "1.0.0.0.0", wantErr: "not a Composer version"},
		{in: "1.0.0-foo", wantErr: "not a Composer version"},
		{in: "1.0.0-beta-alpha", wantErr: "not a Composer version"},
		{in: "v", wantErr: "not a Composer version"},
		{in: "1.0.0 beta", wantErr: "not a Composer version"},
		{in: "^1.0", wantErr: "not a Composer version"},
		{in: ">=1.0", wantErr: "not a Composer version"},
		{in: "1.0 || 2.0", wantErr: "not a Composer version"},
		{in: "*", wantErr: "not a Composer version"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "composer version") {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tc.in, err, tc.wantErr)
			}
			if got := errors.Is(err, errBranch); got != tc.branch {
				t.Errorf("errors.Is(err, errBranch) = %v, want %v", got, tc.branch)
			}
		})
	}
}

// TestReference checks pairs ordered by a reference implementation; see
// testdata/README.md.
func TestReference(t *testing.T) {
	ordertest.File(t, "testdata/reference.tsv", Parse, compare)
}
