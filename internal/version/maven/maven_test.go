package maven

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

func compare(a, b Version) int { return a.Compare(b) }

// ascending chains, each strictly increasing, from the POM reference's
// Version Order Specification and its examples, the ComparableVersion
// documentation, and real Maven Central versions from OSV records.
var ascending = [][]string{
	// Qualifier order: alpha < beta < milestone < rc = cr < snapshot < "" < sp < others.
	{"1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot", "1", "1-sp", "1-abc", "1-xyz", "1-1", "1.1"},
	{"1-alpha", "1-SNAPSHOT", "1", "1-sp"},
	{"1.0a1-SNAPSHOT", "1.0-alpha1", "1.0beta1-SNAPSHOT", "1.0-b2", "1.0-beta3.SNAPSHOT", "1.0-beta3",
		"1.0-milestone1-SNAPSHOT", "1.0-m2", "1.0-rc1-SNAPSHOT", "1.0-cr1", "1.0-SNAPSHOT", "1.0", "1.0-sp",
		"1.0-a", "1.0-whatever", "1.0-1", "1.0.1", "1.0.1.0.0.0.0.0.0.0.0.0.0.0.1"},
	{"notaversion", "1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123", "1-m2", "1-m11",
		"1-rc", "1-cr2", "1-rc123", "1-snapshot", "1", "1-sp", "1-sp2", "1-sp123", "1-abc", "1-def",
		"1-pom-1", "1-1-snapshot", "1-1", "1-2", "1-123"},
	// Numbers, qualifiers after dots and transitions.
	{"2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123",
		"11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m"},
	// POM reference examples.
	{"1", "1.1"},
	{"1-snapshot", "1", "1-sp"},
	{"1-foo2", "1-foo10"},
	{"1-foo", "1-1", "1.1"},
	{"1-sp-1", "1-ga-1", "1-1"},
	{"1-ga.1", "1-sp.1"},
	// Real Maven Central versions.
	{"2.14.0", "2.15.0-rc1", "2.15.0-rc2", "2.15.0", "2.15.1", "2.17.0", "2.17.1"}, // log4j-core
	{"5.3.17", "5.3.18", "5.3.20", "6.0.0-M1", "6.0.0-RC1", "6.0.0"},               // spring
	{"2.12.6", "2.12.6.1", "2.12.7", "2.12.7.1", "2.13.0"},                         // jackson-databind
	{"4.1.0.Final", "4.1.86.Final", "4.1.94.Final", "4.1.100.Final"},               // netty
	{"9.0.0.M1", "9.0.0.M22", "9.0.0", "9.0.83"},                                   // tomcat
	{"31.1-android", "31.1-jre", "32.0.0-android", "32.0.0-jre"},                   // guava
	// "build" is an unknown qualifier, so it sorts above the release.
	{"1.2.3.RELEASE", "1.2.4.RELEASE", "1.2.4.BUILD-SNAPSHOT", "1.2.5"},
	// A resolved timestamped snapshot is numeric, so it sorts above the release.
	{"1.0", "1.0-20230101.120000-1", "1.0-20230101.120000-2", "1.0-20230102.000000-1", "1.0.1"},
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
		{A: "1", B: "1.0", Want: 0},
		{A: "1", B: "1.0.0", Want: 0},
		{A: "1", B: "1-0", Want: 0},
		{A: "1", B: "1.0-0", Want: 0},
		{A: "1.ga", B: "1", Want: 0},
		{A: "1-ga", B: "1", Want: 0},
		{A: "1.final", B: "1", Want: 0},
		{A: "1.0-FINAL", B: "1", Want: 0},
		{A: "1.0.RELEASE", B: "1", Want: 0},
		{A: "1.", B: "1", Want: 0},
		{A: "1-", B: "1", Want: 0},
		{A: "1a", B: "1-a", Want: 0},
		{A: "1a", B: "1.0-a", Want: 0},
		{A: "1.0a", B: "1-a", Want: 0},
		{A: "1.foo", B: "1-foo", Want: 0},
		{A: "1x", B: "1.0.0-x", Want: 0},
		{A: "1.0-alpha1", B: "1.0-a1", Want: 0},
		{A: "1.0-alpha-1", B: "1.0-a1", Want: 0},
		{A: "1.0-beta1", B: "1.0-b1", Want: 0},
		{A: "1.0-milestone1", B: "1.0-m1", Want: 0},
		{A: "1.0-rc1", B: "1.0-cr1", Want: 0},
		{A: "1.0ALPHA1", B: "1.0-a1", Want: 0},
		{A: "1.0AlphA1", B: "1.0-a1", Want: 0},
		{A: "1.0MILESTONE1", B: "1.0-m1", Want: 0},
		{A: "1.0-SNAPSHOT", B: "1.0-snapshot", Want: 0},
		{A: "1.0.0.0.0", B: "1", Want: 0},
		{A: "01.002", B: "1.2", Want: 0},
		{A: "1-a", B: "1-alpha", Want: 1}, // "a" not followed by a digit is an unknown qualifier
		{A: "1-alpha", B: "1", Want: -1},
		{A: "1-SNAPSHOT", B: "1", Want: -1},
		{A: "1-sp", B: "1", Want: 1},
		{A: "2.0.1", B: "2.0-sp", Want: 1},
		{A: "1.0.0-RC1", B: "1.0.0", Want: -1},
		{A: " 1.0 ", B: "1.0", Want: 0},
		// Divergences kept for a total order (see the package doc); Maven says -1.
		{A: "1-beta", B: "1-0-beta", Want: 0},
		{A: "a", B: "0a0", Want: 1},
	}, Parse, compare)
}

func TestCanonical(t *testing.T) {
	tests := map[string]string{
		"1.0.0":          "1",
		"1.0-RC1":        "1-rc-1",
		"1.0.0-alpha-1":  "1-alpha-1",
		"1.2.3.Final":    "1.2.3",
		"1.0a1-SNAPSHOT": "1-alpha-1-snapshot",
		"2.0.a":          "2-a",
		"1-ga-1":         "1--1",
		"4.1.86.Final":   "4.1.86",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			v, err := Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, v.Canonical()); diff != "" {
				t.Errorf("Canonical(%q) (-want +got):\n%s", in, diff)
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
		{" \t", "empty version"},
		{"1.0\x00", "control byte 0x00 at offset 3"},
		{"1.0\n1", "control byte 0x0a at offset 3"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error %q", tc.in, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "maven version") {
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
