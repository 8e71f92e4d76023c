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

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"MIT", []string{"MIT"}},
		{"GPL-2+ or Artistic", []string{"GPL-2.0-or-later", "Artistic-1.0"}},
		{"MIT AND (Apache-2.0 OR BSD-3-Clause)", []string{"MIT", "Apache-2.0", "BSD-3-Clause"}},
		{"GPL-3+ with Autoconf-data exception", []string{"GPL-3.0-or-later"}},
		{"GPL-2.0-or-later WITH Linux-syscall-note AND MIT", []string{"GPL-2.0-or-later", "MIT"}},
		{"MIT BSD GPL2+", []string{"MIT", "BSD", "GPL-2.0-or-later"}},
		{"  ", nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := Split(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("Split(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("Split(%q) = %q, want %q", tc.in, got, tc.want)
				}
			}
		})
	}
}
