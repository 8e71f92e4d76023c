package rust

import (
	"os"
	"testing"
)

func FuzzReadAudit(f *testing.F) {
	if b, err := os.ReadFile("testdata/auditable.elf"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		crates, err := ReadAudit(b)
		if err != nil {
			return
		}
		for _, c := range crates {
			if c.Name == "" || c.Version == "" {
				t.Fatalf("crate without name or version: %+v", c)
			}
		}
	})
}
