package gate_test

import (
	"testing"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"100", 100, true}, {"1kB", 1000, true}, {"1KiB", 1024, true}, {"1.5GB", 1_500_000_000, true},
		{" 2 mib ", 2 << 20, true}, {"1TB", 1_000_000_000_000, true}, {"10 parsecs", 0, false}, {"-1", 0, false},
		{"", 0, false}, {"1e9", 0, false}, {"99999999999TiB", 0, false},
	}
	for _, tc := range tests {
		got, err := gate.ParseSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		p  gate.Param
		v  string
		ok bool
	}{
		{gate.Param{Type: gate.Int}, "12", true}, {gate.Param{Type: gate.Int}, "1.5", false},
		{gate.Param{Type: gate.Float}, "1.5", true}, {gate.Param{Type: gate.Float}, "x", false},
		{gate.Param{Type: gate.Bool}, "true", true}, {gate.Param{Type: gate.Bool}, "yes", false},
		{gate.Param{Type: gate.Enum, Enum: []string{"a"}}, "a", true}, {gate.Param{Type: gate.Enum, Enum: []string{"a"}}, "b", false},
		{gate.Param{Type: gate.Enum, Enum: []string{"FROM"}}, "from", true},
		{gate.Param{Type: gate.Regexp}, "a+", true}, {gate.Param{Type: gate.Regexp}, "(", false},
		{gate.Param{Type: gate.Size}, "1MB", true}, {gate.Param{Type: gate.Size}, "MB", false},
		{gate.Param{Type: gate.String}, "", true}, {gate.Param{Type: gate.List}, "a,b", true},
	}
	for _, tc := range tests {
		if err := tc.p.Validate(tc.v); (err == nil) != tc.ok {
			t.Errorf("%s %q: %v, want ok %v", tc.p.Type, tc.v, err, tc.ok)
		}
	}
}

func TestCheckString(t *testing.T) {
	tests := []struct {
		check, actual string
		present       bool
		value         string
		want          bool
	}{
		{"=", "a", true, "a", true}, {"!=", "a", true, "a", false}, {"exists", "", true, "", true},
		{"not_exists", "", false, "", true}, {"=", "", false, "", false}, {"like", "abc", true, "b", true},
		{"not_like", "abc", true, "^b", true}, {"like", "abc", true, "(", false}, {"in", "b", true, "a, b", true},
		{"not_in", "c", true, "a,b", true}, {"bogus", "a", true, "a", false},
	}
	for _, tc := range tests {
		if got := gate.CheckString(tc.check, tc.actual, tc.present, tc.value); got != tc.want {
			t.Errorf("CheckString(%s, %q, %v, %q) = %v", tc.check, tc.actual, tc.present, tc.value, got)
		}
	}
	if !gate.Compare(">=", 2, 2) || gate.Compare("<", 2.5, 1) || gate.Compare("?", 1, 1) {
		t.Error("Compare")
	}
}

func TestCanonical(t *testing.T) {
	p := gate.Param{Type: gate.Enum, Enum: []string{"FROM", "blacklist"}}
	for in, want := range map[string]string{"from": "FROM", "Blacklist": "blacklist", "x": "x"} {
		if got := p.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
