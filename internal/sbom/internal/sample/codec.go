package sample

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Codec is an SBOM format's encoder (deterministic: a fixed clock) and decoder,
// for the checks every format package runs the same way.
type Codec struct {
	Encode func(io.Writer, *sbom.SBOM) error
	Decode func(io.Reader) (*sbom.SBOM, error)
}

// FuzzDecoder feeds arbitrary bytes to decode, seeded with every JSON file in
// the package's testdata: it must return a document or an error, never panic,
// and a document it returns must have packages with IDs and pass check.
func FuzzDecoder(f *testing.F, decode func(io.Reader) (*sbom.SBOM, error), check func(*testing.T, *sbom.SBOM)) {
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
		s, err := decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, p := range s.Packages {
			if p.ID == "" {
				t.Errorf("package %q without ID", p.Name)
			}
		}
		check(t, s)
	})
}

// FuzzDecode is FuzzDecoder for a format plimsoll also writes: once a document
// is in plimsoll's form, encoding it, decoding that and encoding again gives the
// same bytes.
func (c Codec) FuzzDecode(f *testing.F) {
	FuzzDecoder(f, c.Decode, func(t *testing.T, s *sbom.SBOM) {
		var first, second bytes.Buffer
		if err := c.Encode(&first, s); err != nil {
			t.Fatalf("Encode of a decoded document: %v", err)
		}
		again, err := c.Decode(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("Decode of our own output: %v", err)
		}
		if err := c.Encode(&second, again); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("encode → decode → encode differs:\n%s\n----\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// TestAllLayers checks that an all-layers document keeps its scope and which
// packages the final image no longer holds (squashed, removedBy).
func (c Codec) TestAllLayers(t *testing.T) {
	doc := SBOM()
	doc.Source.Scope = "all-layers"
	in, out := true, false
	for i := range doc.Packages {
		doc.Packages[i].Squashed = &in
	}
	doc.Packages[0].Squashed, doc.Packages[0].RemovedBy = &out, 2
	var buf bytes.Buffer
	if err := c.Encode(&buf, doc); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	got, err := c.Decode(&buf)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got.Source.Scope != "all-layers" {
		t.Errorf("scope = %q, want all-layers", got.Source.Scope)
	}
	type mark struct {
		ID        string
		Squashed  bool
		RemovedBy int
	}
	var want, have []mark
	for _, p := range doc.Packages {
		want = append(want, mark{p.ID, *p.Squashed, p.RemovedBy})
	}
	for _, p := range got.Packages {
		if p.Squashed == nil {
			t.Fatalf("package %s: squashed not read back", p.ID)
		}
		have = append(have, mark{p.ID, *p.Squashed, p.RemovedBy})
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

// BenchmarkEncode encodes the sample document.
func (c Codec) BenchmarkEncode(b *testing.B) {
	for b.Loop() {
		if err := c.Encode(io.Discard, SBOM()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode decodes the encoded sample document.
func (c Codec) BenchmarkDecode(b *testing.B) {
	var buf bytes.Buffer
	if err := c.Encode(&buf, SBOM()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Decode(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeLarge encodes a document of 2,000 packages.
func (c Codec) BenchmarkEncodeLarge(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := Large(2000)
		b.StartTimer()
		if err := c.Encode(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}
