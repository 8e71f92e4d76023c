package apk

import (
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from the APKBUILD reference
// (pkgver/pkgrel rules), apk-tools' documented ordering and real Alpine and
// Wolfi package versions.
var ascending = [][]string{
	{"1.2.3_rc1-r0", "1.2.3-r0", "1.2.3_p1-r0"},
	{"1.0_alpha", "1.0_alpha1", "1.0_alpha2", "1.0_beta", "1.0_beta1", "1.0_pre1", "1.0_rc1", "1.0_rc2", "1.0", "1.0-r1",
		"1.0_cvs1", "1.0_svn1", "1.0_git1", "1.0_hg1", "1.0_p", "1.0_p0", "1.0_p1", "1.0_p2", "1.0a", "1.0.1"},
	{"1.1_alpha", "1.1", "1.1_p1"},
	{"1.00_rc1", "1.00", "1.0_rc1", "1.0", "1.0_p1", "1.01_rc1", "1.01"},
	{"1.0", "1.0-r0", "1.0-r1", "1.0-r2", "1.0-r10", "1.0.1-r0"},
	{"1.0_rc1-r5", "1.0-r0", "1.0-r1"},
	{"1.1.1k-r0", "1.1.1l-r0", "1.1.1t-r0", "1.1.1u-r0", "3.0.0-r0"},
	{"3.1.4-r5", "3.1.4-r6", "3.1.5-r0", "3.1.7-r0", "3.3.2-r0"},
	{"1.36.1-r5", "1.36.1-r7", "1.36.1-r15", "1.36.1-r29", "1.37.0-r0"},
	{"8.5.0-r0", "8.6.0-r0", "8.9.1-r1", "8.9.1-r2", "8.11.0-r2"},
	{"6.4_p20231125-r0", "6.4_p20240210-r0", "6.5_p20250503-r0"},
	{"2.39.0_rc1-r0", "2.39.0-r0", "2.39.1-r0"},
	{"1.2", "1.2.0", "1.2.0.0", "1.2.1"},
	{"1.2", "1.2a", "1.2b", "1.2z", "1.2.0"},
	{"0.9", "0.10", "0.99", "0.100", "1"},
	// Leading zeros after a dot: zero-led fields sort first, more zeros lower.
	{"1.001", "1.01", "1.010", "1.1", "1.10"},
	{"2019.00", "2019.0", "2019.01", "2019.1"},
	{"1.01.1", "1.01.2", "1.1.0"},
	// Multiple suffixes, compared left to right.
	{"1.0_alpha1_p1", "1.0_alpha2", "1.0_beta1_rc1", "1.0_beta1", "1.0_beta1_p1", "1.0"},
	{"1.0_p1_rc1", "1.0_p1", "1.0_p1_p1", "1.0_p2"},
	// Letters followed by further numbers, as apk-tools allows.
	{"1.2a", "1.2a1", "1.2a2", "1.2b"},
	// Numbers of any length.
	{"1.18446744073709551615", "1.18446744073709551616", "1.99999999999999999999999"},
	{"1.0_git20240101000000", "1.0_git20240101000001", "1.0_git20250101000000"},
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
		{A: "1.0-r0", B: "1.0-r00", Want: 0},
		{A: "01.0", B: "1.0", Want: 0}, // leading zeros in the first number are ignored
		{A: "1.0_rc01", B: "1.0_rc1", Want: 0},
		{A: "1.0_p", B: "1.0_p0", Want: -1},
		{A: "1.0_alpha", B: "1.0", Want: -1}, // apk-tools 2 says 1 (bug, see package doc)
		{A: "1.0_p1-r0", B: "1.0-r1", Want: 1},
		{A: " 1.0-r1 ", B: "1.0-r1", Want: 0},
		{A: "1.2.3_rc1-r0", B: "1.2.3-r0", Want: -1},
		{A: "1.2.3_p1-r0", B: "1.2.3-r0", Want: 1},
		{A: "1.0_rc1", B: "1.0-r0", Want: -1},
		{A: "1.0_pre1", B: "1.0_p1", Want: -1},
		{A: "1.0.0", B: "1.0", Want: 1},
		{A: "1.0a", B: "1.0.1", Want: -1},
		{A: "1.0-r1", B: "1.0a", Want: -1},
		{A: "1.0_p1", B: "1.0a", Want: -1},
		{A: "1.0_rc1", B: "1.0a", Want: -1},
		{A: "1.0.0_rc1", B: "1.0", Want: 1}, // the longer numeric part wins before suffixes
		{A: "1.00", B: "1.0", Want: -1},
		{A: "1.05", B: "1.5", Want: -1},
		{A: "1.09", B: "1.10", Want: -1},
		{A: "1.0.10", B: "1.01.0", Want: -1}, // the phantom number after "0" is below 1
		{A: "1.01a", B: "1.0.01", Want: 1},
		{A: "1.000_beta2", B: "1.000", Want: -1},
		{A: "1.0-r1", B: "1.0", Want: 1},
		{A: "1.0.1", B: "1.0", Want: 1},
	}, Parse, compare)
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, wantErr string }{
		{"", "empty version"},
		{"a1.0", "must start with a digit"},
		{"v1.0", "must start with a digit"},
		{"1.0-r", `nothing after "-r"`},
		{"1.0-1", `unexpected "-1"`},
		{"1.0.", `nothing after "."`},
		{"1..0", `expected a number, found ".0"`},
		{"1.0_", `nothing after "_"`},
		{"1.0_foo", `unknown suffix "foo"`},
		{"1.0_preview", `unexpected "view"`},
		{"1.0A", `unexpected "A"`},
		{"1.0ab", `unexpected "b"`},
		{"1.0a.1", `unexpected ".1" after letter`},
		{"1.0_rc1.1", `unexpected ".1" after suffix number`},
		{"1.0-r1.1", `unexpected ".1" after revision`},
		{"1.0-r1_p1", `unexpected "_p1" after revision`},
		{"1.0~abc", `unexpected "~abc"`},
		{"1.0 r1", `unexpected " r1"`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "apk version") {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tc.in, err, tc.wantErr)
			}
		})
	}
}

func TestString(t *testing.T) {
	v, err := Parse(" 1.2.3_rc1-r0\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.String(), "1.2.3_rc1-r0"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestReference checks pairs ordered by a reference implementation; see
// testdata/README.md.
func TestReference(t *testing.T) {
	ordertest.File(t, "testdata/reference.tsv", Parse, compare)
}
