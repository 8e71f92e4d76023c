package deb

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from Debian Policy §5.6.12,
// dpkg's documentation and real Debian/Ubuntu package versions.
var ascending = [][]string{
	// '~' sorts before everything, even the end of the part.
	{"1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a", "1.0+", "1.0.1"},
	{"1.0~beta1~svn1245", "1.0~beta1", "1.0"},
	{"1.0~rc1", "1.0~rc2", "1.0", "1.0-0.1", "1.0-1", "1.0-1+b1", "1.0-2"},
	// Letters sort before non-letters.
	// Letters sort in ASCII order and before all non-letters ('+' < '-' < '.').
	{"1.0A", "1.0Z", "1.0a", "1.0z", "1.0+", "1.0-0-1", "1.0."},
	// Epochs dominate everything.
	{"9.9.9-99", "1:0.1", "1:2.3.4-1", "1:2.3.4-1+deb12u1", "2:0"},
	// Security updates and backports of Debian and Ubuntu.
	{"2.36.1-8", "2.36.1-8+deb12u1", "2.36.1-8+deb12u2", "2.36.1-9"},
	{"7.88.1-10+deb12u5", "7.88.1-10+deb12u6", "7.88.1-10+deb12u7", "7.88.1-11"},
	{"3.0.11-1~deb12u1", "3.0.11-1~deb12u2", "3.0.11-1", "3.0.11-1+deb12u1", "3.0.13-1~deb12u1"},
	{"1.2.11.dfsg-2ubuntu9", "1.2.11.dfsg-2ubuntu9.1", "1.2.11.dfsg-2ubuntu9.2", "1.2.11.dfsg-2ubuntu10"},
	{"2.35-0ubuntu3", "2.35-0ubuntu3.1", "2.35-0ubuntu3.6", "2.35-0ubuntu3.10", "2.35-0ubuntu4"},
	{"1:9.18.24-0ubuntu0.22.04.1", "1:9.18.28-0ubuntu0.22.04.1", "1:9.18.30-0ubuntu0.22.04.2"},
	{"252.22-1~deb12u1", "252.26-1~deb12u2", "252.30-1~deb12u2", "252.33-1~deb12u1"},
	{"5.10.0-26", "5.10.0-28", "5.10.0-30"},
	// Numeric runs are compared as numbers.
	{"1.2", "1.9", "1.10", "1.100", "2"},
	{"0.9.8", "0.9.8a", "0.9.8b", "0.9.8zh", "1.0.0"},
	{"20240101", "20240102", "202401010"},
	{"1.0", "1.0.0.1", "1.0.1"},
	// Huge numbers do not overflow.
	{"1.18446744073709551615", "1.18446744073709551616", "1.99999999999999999999999"},
	{"18446744073709551616:1", "18446744073709551617:0"},
	// Upstream versions containing hyphens: the last one splits the revision.
	{"1.0-beta-1", "1.0-beta-2", "1.0-gamma-1"},
	// Upstream not starting with a digit is accepted (dpkg warns only).
	{"a", "b", "b1", "b.1"},
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
		{A: "1.0", B: "1.0", Want: 0},
		{A: "1.0", B: "1.0-0", Want: 0},
		{A: "0:1.0", B: "1.0", Want: 0},
		{A: "00:1.0", B: "0:1.0", Want: 0},
		{A: "1.0", B: "1.00", Want: 0},
		{A: "1.01", B: "1.1", Want: 0},
		{A: "1.0-1", B: "1.0-01", Want: 0},
		{A: " 1.0 ", B: "1.0", Want: 0},
		{A: "1.0~rc1", B: "1.0", Want: -1},
		{A: "1:2.3.4-1+deb12u1", B: "1:2.3.4-1", Want: 1},
		{A: "1:2.3.4-1~deb12u1", B: "1:2.3.4-1", Want: -1},
		{A: "1:1.0", B: "2.0", Want: 1},
		{A: "1.0a", B: "1.0A", Want: 1}, // 'a' (97) > 'A' (65), both letters
		{A: "1.0a", B: "1.0.", Want: -1},
		{A: "1.0+", B: "1.0.", Want: -1},
	}, Parse, compare)
}

func TestParse(t *testing.T) {
	type parts struct{ Epoch, Upstream, Revision string }
	tests := []struct {
		in   string
		want parts
	}{
		{"1.0", parts{"0", "1.0", ""}},
		{"1:2.3.4-1+deb12u1", parts{"1", "2.3.4", "1+deb12u1"}},
		{"007:1.0", parts{"7", "1.0", ""}},
		{"1.0-beta-1", parts{"0", "1.0-beta", "1"}},
		{"2.35-0ubuntu3.6", parts{"0", "2.35", "0ubuntu3.6"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got := parts{v.Epoch(), v.Upstream(), v.Revision()}
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
		{"   ", "empty version"},
		{"a:1.0", `epoch "a" is not a number`},
		{":1.0", `epoch "" is not a number`},
		{"-1:1.0", `epoch "-1" is not a number`},
		{"1:", "upstream version is empty"},
		{"-1", "upstream version is empty"},
		{"1.0-", "revision after '-' is empty"},
		{"1.0 beta", `invalid character ' ' in upstream version`},
		{"1.0_1", `invalid character '_' in upstream version`},
		{"1:2:3", `invalid character ':' in upstream version`},
		{"1.0-1_2", `invalid character '_' in revision`},
		{"1.0-1-", "revision after '-' is empty"},
		{"1.0\x00", `invalid character '\x00' in upstream version`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "deb version") {
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
