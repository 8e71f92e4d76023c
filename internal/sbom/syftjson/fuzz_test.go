package syftjson

import (
	"bytes"
	"testing"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
)

// FuzzDecode: see sample.FuzzDecoder; what comes out is also a valid model
// document: its native JSON reads back.
func FuzzDecode(f *testing.F) {
	sample.FuzzDecoder(f, Decode, func(t *testing.T, s *sbom.SBOM) {
		var buf bytes.Buffer
		if err := sbom.WriteJSON(&buf, s); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		if _, err := sbom.ReadJSON(&buf); err != nil {
			t.Errorf("ReadJSON of a decoded document: %v", err)
		}
	})
}
