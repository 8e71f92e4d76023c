package cyclonedx

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzDecode feeds arbitrary bytes to Decode, seeded with every JSON file in
// testdata: it must return a document or an error, never panic, and a document
// it returns must have packages with IDs, and encoding it, decoding that and
// encoding again must give the same bytes.
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
		// Once in plimsoll's form, decode and encode are inverses.
		enc := Encoder{Now: func() time.Time { return time.Unix(0, 0) }}
		var first, second bytes.Buffer
		if err := enc.Encode(&first, s); err != nil {
			t.Fatalf("Encode of a decoded document: %v", err)
		}
		again, err := Decode(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("Decode of our own output: %v", err)
		}
		if err := enc.Encode(&second, again); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("encode → decode → encode differs:\n%s\n----\n%s", first.Bytes(), second.Bytes())
		}
	})
}
