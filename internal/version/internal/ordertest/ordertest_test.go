package ordertest

import (
	"cmp"
	"strings"
	"testing"
)

func TestLaws(t *testing.T) {
	rps := func(x, y string) int { // rock-paper-scissors: not transitive
		beats := map[string]string{"rock": "scissors", "scissors": "paper", "paper": "rock"}
		switch {
		case x == y:
			return 0
		case beats[x] == y:
			return 1
		}
		return -1
	}
	tests := []struct {
		name    string
		a, b, c string
		cmp     func(x, y string) int
		wantErr string
	}{
		{"total order", "a", "b", "c", strings.Compare, ""},
		{"equal values", "x", "x", "y", strings.Compare, ""},
		{"not transitive", "rock", "paper", "scissors", rps, "not transitive"},
		{"not antisymmetric", "a", "b", "c", func(x, y string) int {
			if x == y {
				return 0
			}
			return -1
		}, "not antisymmetric"},
		{"not reflexive", "a", "b", "c", func(x, y string) int { return -1 }, "not reflexive"},
		{"out of range", "a", "b", "c", func(x, y string) int { return 2 * cmp.Compare(x, y) }, "want -1, 0 or 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Laws(tc.a, tc.b, tc.c, tc.cmp)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Laws = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Laws = %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
}
