package rpm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from rpm's documented
// rpmvercmp behaviour, the Fedora packaging guidelines on '~' and '^', and
// real RHEL, Rocky, SUSE and Amazon Linux package versions.
var ascending = [][]string{
	// '~' sorts before anything; '^' after the end but before more segments.
	{"1.0~~", "1.0~rc1", "1.0~rc2", "1.0", "1.0^", "1.0^git1", "1.0^git2", "1.0^git2.1", "1.0.1~rc1", "1.0.1"},
	{"1.0~rc1^git1", "1.0~rc1^git2", "1.0~rc2", "1.0"},
	{"1.0~", "1.0", "1.0a", "1.0.0", "1.0.1"},
	// Digits beat letters; letter runs compare byte-wise.
	{"1.0a", "1.0b", "1.0z", "1.01"},
	{"1.0.A", "1.0.Z", "1.0.a", "1.0.z", "1.0.0"},
	{"2.0a", "2.0aa", "2.0b"},
	{"1.1.alpha", "1.1.beta", "1.1.1"},
	// Numeric runs compare as numbers, any length.
	{"1.2", "1.9", "1.10", "1.100", "2"},
	{"1.18446744073709551615", "1.18446744073709551616", "1.99999999999999999999999"},
	// Epochs dominate.
	{"9.9-99", "1:0.1-1", "1:1.1.1k-12.el8_9", "2:0-0"},
	// Releases.
	{"3.0.7-24.el9", "3.0.7-25.el9", "3.0.7-25.el9_3", "3.0.7-27.el9", "3.0.7-27.el9_4"},
	{"1:1.1.1k-9.el8_7", "1:1.1.1k-12.el8_9", "1:1.1.1k-14.el8_6"},
	{"2.28-225.el8", "2.28-225.el8_8.6", "2.28-236.el8_9.12", "2.28-251.el8_10.2"},
	{"1.2.11-40.el9", "1.2.11-41.el9", "1.2.11-41.el9_4.1"},
	{"5.14.0-362.8.1.el9_3", "5.14.0-362.13.1.el9_3", "5.14.0-427.13.1.el9_4"},
	{"3.0.8-150500.5.8.1", "3.0.8-150500.5.14.1", "3.0.8-150500.5.20.1"},
	{"1.1.1g-15.amzn2.0.1", "1.1.1g-15.amzn2.0.2", "1.1.1g-15.amzn2.0.10"},
	// An absent release sorts before any release, even one with '~'
	// (checked against rpm.vercmp of rpm 4.18).
	{"1.0", "1.0-~rc", "1.0-0", "1.0-1"},
	{"aZ", "aZ-+"},
	// Release may itself contain '~' and '^'.
	{"1.0-1~beta", "1.0-1", "1.0-1^post", "1.0-2"},
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
		{A: "0:1.0-1", B: "1.0-1", Want: 0},
		{A: "1.0", B: "1_0", Want: 0}, // separators are only separators
		{A: "1.0", B: "1..0", Want: 0},
		{A: "1.0", B: "1.0.", Want: 0},
		{A: "1.01", B: "1.1", Want: 0},
		{A: "1.0^git1", B: "1.0", Want: 1},
		{A: "1.0~rc1", B: "1.0", Want: -1},
		{A: "1.0^", B: "1.0", Want: 1},
		{A: "1.0^", B: "1.0.1", Want: -1},
		{A: "1.0~", B: "1.0^", Want: -1},
		{A: "a", B: "1", Want: -1},
		{A: "1.0a", B: "1.0", Want: 1},
		{A: "1.0", B: "1.0+", Want: 0},
		{A: "2.0.1a", B: "2.0.1", Want: 1},
		{A: "5.5p1", B: "5.5p10", Want: -1},
		{A: "5.6p1", B: "5.5p10", Want: 1},
		{A: "10xyz", B: "10.1xyz", Want: -1},
		{A: "xyz10", B: "xyz10.1", Want: -1},
		{A: "xyz.4", B: "xyz.4", Want: 0},
		{A: "xyz.4", B: "8", Want: -1},
		{A: "1b.fc17", B: "1b.fc17", Want: 0},
		{A: "1b.fc17", B: "1.fc17", Want: -1},
		{A: "1g.fc17", B: "1.fc17", Want: 1}, // "g" > "fc"
	}, Parse, compare)
}

func TestVercmpNonASCII(t *testing.T) {
	// Vercmp itself accepts any bytes: non-alphanumerics are separators.
	if got := Vercmp("1.1.α", "1.1"); got != 0 {
		t.Errorf("Vercmp(1.1.α, 1.1) = %d, want 0", got)
	}
}

func TestParse(t *testing.T) {
	type parts struct{ Epoch, Version, Release string }
	tests := []struct {
		in   string
		want parts
	}{
		{"1.0", parts{"0", "1.0", ""}},
		{"1:1.1.1k-12.el8_9", parts{"1", "1.1.1k", "12.el8_9"}},
		{"02:3.0-1", parts{"2", "3.0", "1"}},
		{"1.0-beta-1", parts{"0", "1.0-beta", "1"}},
		{"1.0^git1~rc", parts{"0", "1.0^git1~rc", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got := parts{v.Epoch(), v.Version(), v.Release()}
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
		{"a:1.0", `epoch "a" is not a number`},
		{":1.0", `epoch "" is not a number`},
		{"1:2:3", "more than one ':'"},
		{"1:", "version is empty"},
		{"-1", "version is empty"},
		{"1.0-", "release after '-' is empty"},
		{"1.0 -1", "invalid byte 0x20 at offset 3"},
		{"1.1.α", "invalid byte 0xce at offset 4"},
		{"1\x00", "invalid byte 0x00 at offset 1"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "rpm version") {
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
