// Package decode reads an SBOM document of any format plimsoll understands
// into the model: it is what the sbom:PATH source uses. Detect sniffs the
// format from the document's top-level keys; Decode and File dispatch to the
// format's decoder. The formats are listed here, explicitly.
package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/cyclonedx"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/input"
	"github.com/plimsoll/plimsoll/internal/sbom/spdx"
	"github.com/plimsoll/plimsoll/internal/sbom/syftjson"
)

// The formats, named as the -o flag names them.
const (
	Native    = "json"           // plimsoll's own, sbom.SchemaVersion
	CycloneDX = "cyclonedx-json" // CycloneDX JSON 1.4–1.6
	SPDX      = "spdx-json"      // SPDX JSON 2.3 (2.1, 2.2 converted)
	Syft      = "syft-json"      // syft's native JSON
)

// MaxSize is the largest document read: 512 MiB.
const MaxSize = input.MaxSize

// ErrUnknownFormat reports a document of none of the formats.
var ErrUnknownFormat = errors.New("not a plimsoll, CycloneDX, SPDX or syft JSON document")

// decoder returns the format's decoder, or nil. Every format is listed here.
func decoder(format string) func(io.Reader) (*sbom.SBOM, error) {
	switch format {
	case Native:
		return sbom.ReadJSON
	case CycloneDX:
		return cyclonedx.Decode
	case SPDX:
		return spdx.Decode
	case Syft:
		return syftjson.Decode
	}
	return nil
}

// Formats returns the names of the formats Decode reads.
func Formats() []string { return []string{Native, CycloneDX, SPDX, Syft} }

// File decodes the document at path. Errors name the file.
func File(path string) (*sbom.SBOM, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("read sbom: %w", err)
	}
	defer f.Close()
	s, format, err := Decode(f)
	if err != nil {
		return nil, format, fmt.Errorf("read sbom %s: %w", path, err)
	}
	return s, format, nil
}

// Decode reads a document of at most MaxSize bytes, detects its format and
// decodes it. It returns the format's name with the document.
func Decode(r io.Reader) (*sbom.SBOM, string, error) {
	b, err := input.ReadAll(r, 0)
	if err != nil {
		return nil, "", err
	}
	format := detect(b)
	dec := decoder(format)
	if dec == nil {
		return nil, "", ErrUnknownFormat
	}
	s, err := dec(bytes.NewReader(b))
	if err != nil {
		return nil, format, err
	}
	return s, format, nil
}

// Detect reads r (at most MaxSize bytes) and names its format, or returns ""
// when it is none of them.
func Detect(r io.Reader) string {
	b, err := input.ReadAll(r, 0)
	if err != nil {
		return ""
	}
	return detect(b)
}

// detect looks at the top-level keys of a JSON object, stopping at the first
// that decides: bomFormat (CycloneDX), spdxVersion (SPDX), schema as a string
// (plimsoll) or as an object with a syft URL, and artifacts (syft).
func detect(b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return ""
		}
		if f := decide(key, v); f != "" {
			return f
		}
	}
	return ""
}

func decide(key string, v json.RawMessage) string {
	switch key {
	case "bomFormat":
		var s string
		if json.Unmarshal(v, &s) == nil && s == "CycloneDX" {
			return CycloneDX
		}
	case "spdxVersion":
		var s string
		if json.Unmarshal(v, &s) == nil && strings.HasPrefix(s, "SPDX-2.") {
			return SPDX
		}
	case "schema":
		var s string
		if json.Unmarshal(v, &s) == nil && s == sbom.SchemaVersion {
			return Native
		}
		var o struct{ URL string }
		if json.Unmarshal(v, &o) == nil && strings.Contains(o.URL, "syft") {
			return Syft
		}
	case "artifacts":
		return Syft
	}
	return ""
}
