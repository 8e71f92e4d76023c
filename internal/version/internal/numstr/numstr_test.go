package numstr

import "testing"

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0", "0", 0},
		{"", "0", 0},
		{"007", "7", 0},
		{"9", "10", -1},
		{"10", "9", 1},
		{"123456789012345678901234567890", "123456789012345678901234567891", -1},
		{"99999999999999999999", "100000000000000000000", -1},
		{"2", "1", 1},
	}
	for _, tc := range tests {
		if got := Compare(tc.a, tc.b); got != tc.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestIsDigitsAndTrim(t *testing.T) {
	for s, want := range map[string]bool{"": false, "0": true, "0123": true, "1a": false, "-1": false} {
		if got := IsDigits(s); got != want {
			t.Errorf("IsDigits(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]string{"": "0", "000": "0", "0120": "120", "5": "5"} {
		if got := Trim(s); got != want {
			t.Errorf("Trim(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestComparePrerelease(t *testing.T) {
	tests := []struct {
		a, b []string
		fold bool
		want int
	}{
		{nil, nil, false, 0},
		{nil, []string{"rc"}, false, 1}, // a release sorts after its pre-releases
		{[]string{"alpha"}, []string{"alpha", "1"}, false, -1},
		{[]string{"2"}, []string{"10"}, false, -1}, // numeric identifiers compare as numbers
		{[]string{"9"}, []string{"a"}, false, -1},  // numeric before alphanumeric
		{[]string{"Beta"}, []string{"alpha"}, false, -1},
		{[]string{"Beta"}, []string{"alpha"}, true, 1},
		{[]string{"RC", "1"}, []string{"rc", "1"}, true, 0},
	}
	for _, tc := range tests {
		if got := ComparePrerelease(tc.a, tc.b, tc.fold); got != tc.want {
			t.Errorf("ComparePrerelease(%q, %q, %t) = %d, want %d", tc.a, tc.b, tc.fold, got, tc.want)
		}
		if got := ComparePrerelease(tc.b, tc.a, tc.fold); got != -tc.want {
			t.Errorf("ComparePrerelease(%q, %q, %t) = %d, want %d", tc.b, tc.a, tc.fold, got, -tc.want)
		}
	}
}
