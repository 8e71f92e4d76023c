package pep440

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from PEP 440 (its summary of
// permitted suffixes and relative ordering, and its examples) and real PyPI
// versions from OSV records.
var ascending = [][]string{
	// PEP 440, "Summary of permitted suffixes and relative ordering".
	{"1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
		"1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
		"1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1"},
	{"1.0.dev1", "1.0a1", "1.0", "1.0.post1"},
	{"0.9", "1.0a1", "1.0b1", "1.0rc1", "1.0", "1.0.post1", "1.1"},
	// Epochs dominate.
	{"2013.10", "2014.04", "1!1.0", "1!1.1", "2!0.1"},
	// Release segments compare numerically; shorter is padded with zeros.
	{"1.9", "1.10", "1.10.1", "1.11", "2"},
	{"0.0.1", "0.1", "0.1.0.1", "1"},
	// Real PyPI versions.
	{"2.2.28", "3.2.18", "3.2.19", "3.2.20", "4.1.9", "4.1.10", "4.2rc1", "4.2"}, // Django
	{"2.31.0", "2.32.0rc1", "2.32.0", "2.32.3"},                                  // requests
	{"41.0.7", "42.0.0", "42.0.4", "43.0.0.dev1", "43.0.0"},                      // cryptography
	{"1.26.17", "1.26.18", "2.0.0a1", "2.0.0a2", "2.0.0a3", "2.0.0", "2.0.7"},    // urllib3
	{"2.0.0b1", "2.0.0b2", "2.0.0rc1", "2.0.0rc2", "2.0.0"},
	{"10.0.0", "10.0.0.post1", "10.0.0.post2", "10.0.1"},
	// Local versions: after the public version, segment-wise, numbers above letters.
	{"1.0", "1.0+a", "1.0+a.1", "1.0+abc", "1.0+b", "1.0+0", "1.0+1", "1.0+1.a", "1.0+1.0", "1.0+2", "1.0+10"},
	{"1.0+ubuntu1", "1.0+ubuntu2", "1.0+ubuntu2.1", "1.0.post1"},
	// Numbers of any length.
	{"1.18446744073709551615", "1.18446744073709551616", "1.99999999999999999999999"},
	{"1.0.dev18446744073709551615", "1.0.dev18446744073709551616", "1.0"},
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
		{A: "1.0", B: "1.0.0", Want: 0},
		{A: "1.0", B: "1.0.0.0.0", Want: 0},
		{A: "1.0", B: "0!1.0", Want: 0},
		{A: "1.01", B: "1.1", Want: 0},
		{A: "1.0a", B: "1.0a0", Want: 0},
		{A: "1.0alpha1", B: "1.0a1", Want: 0},
		{A: "1.0-ALPHA-1", B: "1.0a1", Want: 0},
		{A: "1.0c1", B: "1.0rc1", Want: 0},
		{A: "1.0pre1", B: "1.0rc1", Want: 0},
		{A: "1.0preview1", B: "1.0rc1", Want: 0},
		{A: "1.0-1", B: "1.0.post1", Want: 0},
		{A: "1.0-r1", B: "1.0.post1", Want: 0},
		{A: "1.0rev1", B: "1.0.post1", Want: 0},
		{A: "1.0.post", B: "1.0.post0", Want: 0},
		{A: "1.0-dev", B: "1.0.dev0", Want: 0},
		{A: "v1.0", B: "1.0", Want: 0},
		{A: " 1.0\n", B: "1.0", Want: 0},
		{A: "1.0+Ubuntu-1", B: "1.0+ubuntu.1", Want: 0},
		{A: "1.0+007", B: "1.0+7", Want: 0},
		{A: "1.0.dev1", B: "1.0a1", Want: -1},
		{A: "1.0a1", B: "1.0", Want: -1},
		{A: "1.0", B: "1.0.post1", Want: -1},
		{A: "1.0.post1.dev1", B: "1.0.post1", Want: -1},
		{A: "1.0.post1.dev1", B: "1.0", Want: 1},
		{A: "1.0a1.post1", B: "1.0a2.dev1", Want: -1},
		{A: "1.0+local", B: "1.0.post1", Want: -1},
		{A: "1.0+local", B: "1.0", Want: 1},
		{A: "1.0.0+1", B: "1.0+1", Want: 0},
	}, Parse, compare)
}

func TestNormalized(t *testing.T) {
	tests := map[string]string{
		"1.0":                          "1.0",
		"1.0.0":                        "1.0.0",
		"01.02.003":                    "1.2.3",
		"0!1.0":                        "1.0",
		"2!1.0":                        "2!1.0",
		"1.0-ALPHA1":                   "1.0a1",
		"1.1.a1":                       "1.1a1",
		"1.0-alpha":                    "1.0a0",
		"1.0.beta.2":                   "1.0b2",
		"1.0c1":                        "1.0rc1",
		"1.0.pre_2":                    "1.0rc2",
		"1.0-preview2":                 "1.0rc2",
		"1.0-1":                        "1.0.post1",
		"1.0-r4":                       "1.0.post4",
		"1.0rev":                       "1.0.post0",
		"1.0_post_2":                   "1.0.post2",
		"1.0.dev":                      "1.0.dev0",
		"1.0-DEV-3":                    "1.0.dev3",
		"1.0+ubuntu-1":                 "1.0+ubuntu.1",
		"1.0+Ubuntu_1.02":              "1.0+ubuntu.1.2",
		"v1.0rc1.post2.dev3+abc":       "1.0rc1.post2.dev3+abc",
		"V1.0":                         "1.0",
		"1!2.3.4a5.post6.dev7+local.8": "1!2.3.4a5.post6.dev7+local.8",
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

func TestIsPrerelease(t *testing.T) {
	for in, want := range map[string]bool{"1.0": false, "1.0a1": true, "1.0.dev1": true, "1.0.post1": false, "1.0.post1.dev1": true, "1.0+local": false} {
		v, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.IsPrerelease(); got != want {
			t.Errorf("IsPrerelease(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, wantErr string }{
		{"", "empty version"},
		{"  ", "empty version"},
		{"1.0 rc1", "contains white space"},
		{"1.0+a+b", "more than one '+'"},
		{"abc", "does not match"},
		{"1.0.", "does not match"},
		{".1.0", "does not match"},
		{"1.0+", "does not match"},
		{"1.0+a..b", "does not match"},
		{"1.0-foo", "does not match"},
		{"1.0a1a2", "does not match"},
		{"1.0.post1.post2", "does not match"},
		{"1!", "does not match"},
		{"-1.0", "does not match"},
		{"1.0_", "does not match"},
		{"1.0.x", "does not match"},
		{"1.0-", "does not match"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "pep440 version") {
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
