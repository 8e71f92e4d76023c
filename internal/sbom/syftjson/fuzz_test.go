package syftjson

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// FuzzDecode feeds arbitrary bytes to Decode, seeded with every JSON file in
// testdata: it must return a document or an error, never panic, and a document
// it returns must have packages with IDs.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, p := range s.Packages {
			if p.ID == "" {
				t.Errorf("package %q without ID", p.Name)
			}
		}
		// What comes out is a valid model document: its native JSON reads back.
		var buf bytes.Buffer
		if err := sbom.WriteJSON(&buf, s); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		if _, err := sbom.ReadJSON(&buf); err != nil {
			t.Errorf("ReadJSON of a decoded document: %v", err)
		}
	})
}
