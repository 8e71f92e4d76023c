package gem

import (
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from the Gem::Version
// documentation (the "Preventing Version Catastrophe" guide and its class
// documentation) and real RubyGems.org versions from OSV records.
var ascending = [][]string{
	// Gem::Version documentation: pre-releases sort before releases.
	{"1.0.a", "1.0.a1", "1.0.a2", "1.0.b1", "1.0.rc1", "1.0", "1.0.0.1", "1.0.1", "1.1"},
	{"1.0.a.2", "1.0.a.10", "1.0.b1", "1.0"},
	{"1.0.0.a", "1.0.0.b", "1.0.0.pre", "1.0.0.rc", "1.0.0"},
	// A '-' tail is rewritten to ".pre.", so "-rc1" sorts below ".rc1".
	{"2.0.0.beta1", "2.0.0-beta1", "2.0.0-rc1", "2.0.0.rc1", "2.0.0"},
	{"1.9", "1.10", "1.11", "2", "2.0.1"},
	// Strings compare byte-wise: upper case first.
	{"1.A", "1.Z", "1.a", "1.z", "1"},
	// Real RubyGems versions.
	{"6.1.7.5", "6.1.7.6", "7.0.8", "7.0.8.1", "7.1.0.beta1", "7.1.0.rc1", "7.1.0", "7.1.3.4"}, // rails
	{"1.13.10", "1.14.0.rc1", "1.14.0", "1.15.6", "1.16.0"},                                    // nokogiri
	{"2.2.6.3", "2.2.6.4", "2.2.8", "3.0.0.beta1", "3.0.0", "3.0.6.1"},                         // rack
	{"0.9.9", "1.0.0.pre", "1.0.0.rc.1", "1.0.0"},
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
		{A: "1.0", B: "1", Want: 0},
		{A: "1.0.0", B: "1", Want: 0},
		{A: "1.a", B: "1.0.a", Want: 0}, // zeros before the first string are dropped
		{A: "1.0.a.0", B: "1.0.a", Want: 0},
		{A: "1.0a", B: "1.0.a", Want: 0}, // letters split from digits
		{A: "1.01", B: "1.1", Want: 0},
		{A: " 1.0 ", B: "1.0", Want: 0},
		{A: "1.0-1", B: "1.0.pre.1", Want: 0},
		{A: "1.0.a", B: "1.0", Want: -1},
		{A: "1.0", B: "1.0.0.1", Want: -1},
		{A: "1.0.b1", B: "1.0.a2", Want: 1},
		{A: "1.0.rc1", B: "1.0.pre1", Want: 1},
		{A: "1.0.0-rc1", B: "1.0.0.rc1", Want: -1},
		{A: "1.a", B: "1.0.0.1", Want: -1},
	}, Parse, compare)
}

func TestIsPrerelease(t *testing.T) {
	for in, want := range map[string]bool{"1.0": false, "1.0.a": true, "1.0-1": true, "1.0.rc1": true, "10.20.30": false} {
		v, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.IsPrerelease(); got != want {
			t.Errorf("IsPrerelease(%q) = %v, want %v", in, got, want)
		}
		if v.String() != in {
			t.Errorf("String() = %q, want %q", v.String(), in)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, wantErr string }{
		{"", "empty version"},
		{"  ", "empty version"},
		{"a", "must start with a digit"},
		{"v1.0", "must start with a digit"},
		{".1", "must start with a digit"},
		{"1..0", "empty part"},
		{"1.0.", "empty part"},
		{"1.0-", "empty part"},
		{"1.0 1", `invalid character ' ' at offset 3`},
		{"1.0_1", `invalid character '_' at offset 3`},
		{"1.0+a", `invalid character '+' at offset 3`},
		{"1.-a", "empty part or misplaced separator"},
		{"1-.a", "empty part or misplaced separator"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "gem version") {
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
