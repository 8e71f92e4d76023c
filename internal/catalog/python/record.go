package python

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// maxRecordEntries bounds what one RECORD may list.
const maxRecordEntries = 1 << 20

// ParseRecord returns the paths a dist-info RECORD lists (CSV: path, hash, size),
// as written: relative to the directory that holds the dist-info.
func ParseRecord(b []byte) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	var out []string
	for len(out) < maxRecordEntries {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, err
		}
		if p := strings.TrimSpace(rec[0]); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// ParseInstalledFiles returns the paths an egg-info installed-files.txt lists, one
// a line, relative to the egg-info directory.
func ParseInstalledFiles(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
