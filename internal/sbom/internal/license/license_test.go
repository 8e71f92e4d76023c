package license

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		in       string
		wantKind Kind
		want     string
	}{
		{"MIT", ID, "MIT"},
		{"apache-2.0", ID, "Apache-2.0"},
		{" GPL-2.0-or-later ", ID, "GPL-2.0-or-later"},
		{"GPL-2.0", ID, "GPL-2.0"}, // deprecated, still listed
		{"MIT OR Apache-2.0", Expression, "MIT OR Apache-2.0"},
		{"(MIT AND BSD-3-Clause)", Expression, "(MIT AND BSD-3-Clause)"},
		{"GPL-2.0-only WITH Classpath-exception-2.0", Expression, "GPL-2.0-only WITH Classpath-exception-2.0"},
		{"LicenseRef-acme", Expression, "LicenseRef-acme"},
		{"Apache 2.0", Name, "Apache 2.0"},
		{"Proprietary", Name, "Proprietary"},
		{"MIT OR", Name, "MIT OR"},
		{"", Name, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			k, got := Classify(tc.in)
			if k != tc.wantKind || got != tc.want {
				t.Errorf("Classify(%q) = %v, %q; want %v, %q", tc.in, k, got, tc.wantKind, tc.want)
			}
		})
	}
}

func TestRefID(t *testing.T) {
	if got, want := RefID("Custom (see copyright)"), "LicenseRef-Custom--see-copyright-"; got != want {
		t.Errorf("RefID = %q, want %q", got, want)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"MIT", "MIT OR (Apache-2.0 AND ISC)", "LicenseRef-x", "((((", "a WITH b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, v := Classify(s)
		if k == Name && v != s {
			t.Errorf("Classify(%q) changed a name to %q", s, v)
		}
	})
}
