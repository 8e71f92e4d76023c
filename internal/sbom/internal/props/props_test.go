package props

import "testing"

func TestSplit(t *testing.T) {
	tests := []struct {
		name   string
		format string
		in     string
		want   int
		wantOK bool
	}{
		{"location", LocationPath, "plimsoll:location:3:path", 3, true},
		{"zero", LayerDiffID, "plimsoll:layer:0:diffID", 0, true},
		{"other field", LocationPath, "plimsoll:location:3:layer", 0, false},
		{"no number", LocationPath, "plimsoll:location::path", 0, false},
		{"negative", LocationPath, "plimsoll:location:-1:path", 0, false},
		{"leading zero", LocationPath, "plimsoll:location:01:path", 0, false},
		{"too large", LocationPath, "plimsoll:location:999999:path", 0, false},
		{"huge", LocationPath, "plimsoll:location:99999999999999999999:path", 0, false},
		{"prefix only", LocationPath, "plimsoll:location:", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Split(tc.format, tc.in)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Split(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
