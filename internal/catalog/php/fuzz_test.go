package php

import (
	"os"
	"testing"
)

func FuzzParseInstalled(f *testing.F) {
	for _, p := range []string{"testdata/installed-v2.json", "testdata/installed-v1.json"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := ParseInstalled(b)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" {
				t.Fatalf("package without name or version: %+v", p)
			}
			_ = purl(p.Name, p.Version)
		}
	})
}
