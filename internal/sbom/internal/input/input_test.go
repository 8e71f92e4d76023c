package input

import (
	"errors"
	"strings"
	"testing"
)

func TestReadAll(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     int64
		wantErr error
		want    string
	}{
		{"under", "abc", 4, nil, "abc"},
		{"exactly", "abcd", 4, nil, "abcd"},
		{"over", "abcde", 4, ErrTooLarge, ""},
		{"default cap", "abc", 0, nil, "abc"},
		{"byte-order mark", "\xef\xbb\xbf{}", 0, nil, "{}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadAll(strings.NewReader(tc.in), tc.max)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ReadAll error %v, want %v", err, tc.wantErr)
			}
			if err == nil && string(b) != tc.want {
				t.Errorf("ReadAll = %q, want %q", b, tc.want)
			}
		})
	}
}
