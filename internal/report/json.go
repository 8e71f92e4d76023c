package report

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the scan report as indented JSON (schema plimsoll-scan/1).
func WriteJSON(w io.Writer, rep *Scan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
