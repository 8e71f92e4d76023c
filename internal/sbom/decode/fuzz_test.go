package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Detect and Decode, seeded with every
// format: no panic, and a document decodes only as the format Detect names.
func FuzzDecode(f *testing.F) {
	for p := range syftImage {
		b, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"schema":"plimsoll-sbom/1","source":{"reference":"x","kind":"dir"},"packages":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		format := Detect(bytes.NewReader(b))
		_, got, err := Decode(bytes.NewReader(b))
		if err == nil && got != format {
			t.Errorf("Decode read format %q, Detect said %q", got, format)
		}
	})
}
