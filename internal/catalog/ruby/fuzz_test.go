package ruby

import (
	"os"
	"testing"
)

func FuzzParseGemspec(f *testing.F) {
	for _, p := range []string{"testdata/rake-13.0.6.gemspec", "testdata/default-bundler-2.3.7.gemspec"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("s.name = \"\\u{E9}\\\"\" 's'\ns.version = '1\\'"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseGemspec(b)
		if err == nil && (s.Name == "" || s.Version == "") {
			t.Fatalf("spec without name or version: %+v", s)
		}
	})
}
