package spdx

import "testing"

func TestID(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"MIT", "MIT", true},
		{" mit ", "MIT", true},
		{"GPL-2+", "GPL-2.0-or-later", true},
		{"LGPL-2.1", "LGPL-2.1-only", true},
		{"Expat", "MIT", true},
		{"apache-2.0", "Apache-2.0", true},
		{"MIT License", "MIT", true},
		{"public-domain", "public-domain", false},
		{"Custom EULA", "Custom EULA", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ID(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ID(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}
