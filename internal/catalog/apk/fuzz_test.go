package apk

import (
	"os"
	"testing"
)

func FuzzParseInstalled(f *testing.F) {
	if b, err := os.ReadFile("testdata/installed"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("P:a\nV:1\nF:x\nR:y\n\nP:b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, _ := ParseInstalled(b)
		for _, e := range entries {
			if e.Name == "" || e.Version == "" {
				t.Fatalf("entry without name or version: %+v", e)
			}
			for _, p := range e.Files {
				if len(p) == 0 || p[0] != '/' {
					t.Fatalf("file path %q is not absolute", p)
				}
			}
		}
	})
}
