package nuget

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from NuGet's package
// versioning documentation (pre-release ordering, SemVer 2.0.0 and
// four-part versions) and real nuget.org versions from OSV records.
var ascending = [][]string{
	// NuGet docs: "1.0.1-alpha < 1.0.1-beta < 1.0.1-rc < 1.0.1".
	{"1.0.1-alpha", "1.0.1-beta", "1.0.1-rc", "1.0.1", "1.0.1.1", "1.0.2"},
	// SemVer 2.0.0 pre-release precedence.
	{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"},
	// Legacy SemVer 1 labels compare as one label.
	{"1.0.0-beta01", "1.0.0-beta02", "1.0.0-beta10", "1.0.0-rc1", "1.0.0"},
	// Four-part versions.
	{"4.0.0.0", "4.0.0.1", "4.0.1", "4.0.1.5", "4.1"},
	{"1", "1.0.0.1", "1.0.1", "1.1", "2"},
	// Real nuget.org versions.
	{"12.0.3", "13.0.1", "13.0.2-beta1", "13.0.2", "13.0.3"},                      // Newtonsoft.Json
	{"4.5.0", "4.5.1", "6.0.0-preview.1.21102.12", "6.0.0-rc.2.21480.5", "6.0.0"}, // System.Text.Json
	{"2.1.1", "2.1.21", "2.2.0-preview1-35029", "2.2.0"},
	{"5.0.0-preview.8.20407.11", "5.0.0-rc.1.20451.14", "5.0.0-rc.2.20475.5", "5.0.0"},
	// Numeric labels below alphanumeric ones.
	{"1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-a", "1.0.0-b"},
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
		{A: "1.0", B: "1.0.0", Want: 0},
		{A: "1.0.0.0", B: "1.0.0", Want: 0},
		{A: "1", B: "1.0.0.0", Want: 0},
		{A: "01.002.0003", B: "1.2.3", Want: 0},
		{A: "1.0.0-BETA", B: "1.0.0-beta", Want: 0}, // case-insensitive
		{A: "1.0.0-Beta.1", B: "1.0.0-bEtA.1", Want: 0},
		{A: "1.0.0+meta", B: "1.0.0", Want: 0},
		{A: "1.0.0-rc.1+a", B: "1.0.0-rc.1+b", Want: 0},
		{A: " 1.0.0 ", B: "1.0.0", Want: 0},
		{A: "1.0.0-alpha", B: "1.0.0-Beta", Want: -1}, // ordinal would say 'a' > 'B'
		{A: "1.0.0-rc.1", B: "1.0.0", Want: -1},
		{A: "1.0.0.1-alpha", B: "1.0.0", Want: 1},
		{A: "1.0.0-alpha.1", B: "1.0.0-alpha", Want: 1},
	}, Parse, compare)
}

func TestNormalized(t *testing.T) {
	tests := map[string]string{
		"1":                  "1.0.0",
		"1.0":                "1.0.0",
		"1.0.0.0":            "1.0.0",
		"1.0.0.4":            "1.0.0.4",
		"01.02.03":           "1.2.3",
		"1.0.0-Beta.1+build": "1.0.0-Beta.1",
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
	tests := []struct{ in, wantErr string }{
		{"", "empty version"},
		{"v1.0.0", `part 1 ("v1") is not a number`},
		{"1.0.0.0.0", "5 numeric parts, want at most 4"},
		{"1..0", `part 2 ("") is not a number`},
		{"1.0.x", `part 3 ("x") is not a number`},
		{"1.0.0-", "empty pre-release"},
		{"1.0.0+", "empty metadata"},
		{"1.0.0-a..b", `empty label in pre-release "a..b"`},
		{"1.0.0-a_b", `invalid character '_' in pre-release`},
		{"1.0.0+a b", `invalid character ' ' in metadata`},
		{"[1.0,2.0)", `part 1 ("[1") is not a number`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "nuget version") {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tc.in, err, tc.wantErr)
			}
		})
	}
}
