package cyclonedx

import (
	"bytes"
	"io"
	"testing"

	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
)

func BenchmarkEncode(b *testing.B) {
	for b.Loop() {
		if err := testEncoder().Encode(io.Discard, sample.SBOM()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	var buf bytes.Buffer
	if err := testEncoder().Encode(&buf, sample.SBOM()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeLarge(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := sample.Large(2000)
		b.StartTimer()
		if err := testEncoder().Encode(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}
