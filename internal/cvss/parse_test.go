package cvss

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, vector, wantErr string
	}{
		{"empty", "", "no metrics"},
		{"blank", "   ", "no metrics"},
		{"unknown version", "CVSS:5.0/AV:N", `unsupported version prefix "CVSS:5.0"`},
		{"v3.1 prefix only", "CVSS:3.1/", "no metrics"},
		{"v3 without prefix is not v2", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", `unknown metric "PR"`},
		{"v2 missing Au", "AV:N/AC:L/C:P/I:P/A:P", "missing base metric Au"},
		{"v2 lower-case au", "AV:N/AC:L/au:N/C:P/I:P/A:P", `unknown metric "au"`},
		{"v2 bad value", "AV:X/AC:L/Au:N/C:P/I:P/A:P", `metric AV: illegal value "X"`},
		{"v2 duplicate", "AV:N/AC:L/Au:N/C:P/I:P/A:P/A:N", "duplicate metric A"},
		{"v2 unbalanced paren", "(AV:N/AC:L/Au:N/C:P/I:P/A:P", `unknown metric "(AV"`},
		{"v3 missing scope", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "missing base metric S"},
		{"v3 duplicate", "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "duplicate metric AV"},
		{"v3 v4 metric", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", `unknown metric "AT"`},
		{"v3 base X", "CVSS:3.0/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", `metric AV: illegal value "X"`},
		{"v3 bad temporal", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Q", `metric E: illegal value "Q"`},
		{"v3 trailing slash", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", `malformed metric ""`},
		{"v3 no colon", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/AH", `malformed metric "AH"`},
		{"v3 empty name", "CVSS:3.1/:N/AC:L", `malformed metric ":N"`},
		{"v3 lower case value", "CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", `metric AV: illegal value "n"`},
		{"v4 missing SA", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "missing base metric SA"},
		{"v4 S in base SI", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", `metric SI: illegal value "S"`},
		{"v4 S in MSC", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S", `metric MSC: illegal value "S"`},
		{"v4 duplicate E", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:P", "duplicate metric E"},
		{"v4 v3 metric", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U", `metric S: illegal value "U"`},
		{"v4 unknown", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O", `unknown metric "RL"`},
		{"v4 U case", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red", `metric U: illegal value "red"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Parse(tc.vector)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tc.vector, v)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
			if diff := cmp.Diff(Vector{}, v, cmp.AllowUnexported(Vector{})); diff != "" {
				t.Errorf("Vector on error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"(AV:N/AC:L/Au:N/C:P/I:P/A:P)", "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
		{"CVSS:2.0/A:P/I:P/C:P/Au:N/AC:L/AV:N", "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
		{" AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:L/E:F ", "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/CDP:L"},
		{"CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MA:X/E:U", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/MA:X"},
		{
			"CVSS:4.0/U:Red/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/E:P",
			"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MSI:S/U:Red",
		},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, v.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNomenclature(t *testing.T) {
	const b4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
	tests := []struct {
		vector, want string
	}{
		{b4, "CVSS-B"},
		{b4 + "/E:X/CR:X/MAV:X/S:P", "CVSS-B"},
		{b4 + "/E:U", "CVSS-BT"},
		{b4 + "/CR:L", "CVSS-BE"},
		{b4 + "/MSA:S", "CVSS-BE"},
		{b4 + "/E:P/MAV:L", "CVSS-BTE"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U", "CVSS-B"},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS-B"},
	}
	for _, tc := range tests {
		t.Run(tc.vector, func(t *testing.T) {
			v, err := Parse(tc.vector)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Nomenclature(); got != tc.want {
				t.Errorf("Nomenclature() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMetric(t *testing.T) {
	v, err := Parse("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S")
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Value string
		OK    bool
	}
	for name, want := range map[string]got{"AV": {"L", true}, "MSI": {"S", true}, "E": {"", false}, "Au": {"", false}} {
		val, ok := v.Metric(name)
		if diff := cmp.Diff(want, got{val, ok}); diff != "" {
			t.Errorf("Metric(%q) (-want +got):\n%s", name, diff)
		}
	}
}

func TestBest(t *testing.T) {
	const (
		v2   = "AV:N/AC:L/Au:N/C:P/I:P/A:P"
		v30  = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N"
		v31  = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
		v31b = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"
		v4   = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"
		bad  = "CVSS:4.0/AV:N"
	)
	tests := []struct {
		name    string
		vectors []string
		want    string
		wantOK  bool
	}{
		{"none", nil, "", false},
		{"only invalid", []string{bad, "garbage"}, "", false},
		{"v4 first", []string{v4, v31, v30, v2}, v4, true},
		{"v4 last", []string{v2, v30, v31, v4}, v4, true},
		{"invalid v4 skipped", []string{bad, v2, v31}, v31, true},
		{"v3.1 over v3.0", []string{v30, v31}, v31, true},
		{"v3.0 over v2", []string{v2, v30}, v30, true},
		{"only v2", []string{"(" + v2 + ")"}, v2, true},
		{"first of a version wins", []string{v31b, v31}, v31b, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := Best(tc.vectors)
			if ok != tc.wantOK || v.String() != tc.want {
				t.Errorf("Best = %q, %v; want %q, %v", v.String(), ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestSeverityBoundaries(t *testing.T) {
	tests := []struct {
		score  float64
		v3, v2 string
	}{
		{0, "None", "Low"},
		{0.1, "Low", "Low"},
		{3.9, "Low", "Low"},
		{4.0, "Medium", "Medium"},
		{6.9, "Medium", "Medium"},
		{7.0, "High", "High"},
		{8.9, "High", "High"},
		{9.0, "Critical", "High"},
		{10, "Critical", "High"},
	}
	for _, tc := range tests {
		got := []string{severityV3(tc.score), severityV2(tc.score)}
		if diff := cmp.Diff([]string{tc.v3, tc.v2}, got); diff != "" {
			t.Errorf("score %v (-want +got):\n%s", tc.score, diff)
		}
	}
	if s := (Vector{}).Severity(); s != "" {
		t.Errorf("zero Vector severity %q, want none", s)
	}
}

func TestRoundup(t *testing.T) {
	tests := []struct {
		in, v31, v30 float64
	}{
		{4.0, 4.0, 4.0},
		{4.000000000000001, 4.0, 4.1}, // the v3.1 specification's own example
		{4.02, 4.1, 4.1},
		{7.4607, 7.5, 7.5},
		{0, 0, 0},
		{10, 10, 10},
	}
	for _, tc := range tests {
		got := []float64{roundupV31(tc.in), roundupV30(tc.in)}
		if diff := cmp.Diff([]float64{tc.v31, tc.v30}, got); diff != "" {
			t.Errorf("Roundup(%v) (-want +got):\n%s", tc.in, diff)
		}
	}
}
