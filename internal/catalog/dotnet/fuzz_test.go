package dotnet

import (
	"os"
	"testing"
)

func FuzzParseDeps(f *testing.F) {
	if b, err := os.ReadFile("testdata/app.deps.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"libraries":{"/":{"type":"package"},"a/":{"type":"package"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		libs, _, err := ParseDeps(b)
		if err != nil {
			return
		}
		for _, l := range libs {
			if l.Name == "" || l.Version == "" {
				t.Fatalf("library without name or version: %+v", l)
			}
		}
	})
}
