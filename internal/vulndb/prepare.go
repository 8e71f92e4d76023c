package vulndb

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// Prepared is a parsed record made ready for storing: its raw JSON compressed
// and its affected entries normalised and encoded. Preparing is the CPU-heavy
// part of an import and may run on many goroutines; storing is serial.
type Prepared struct {
	Record    *Vulnerability
	raw       []byte // compressed
	rows      []affectedRow
	aliases   []string
	modified  string
	published string
	withdrawn string
}

type affectedRow struct {
	ecosystem, name string
	idx             int
	data            []byte
}

var flaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// Prepare parses raw as an OSV record and prepares it for Tx.Put.
func Prepare(raw []byte) (*Prepared, error) {
	v, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	return PrepareRecord(v, raw)
}

// PrepareRecord prepares an already parsed record; raw is kept as its original
// form (when nil, the record is encoded).
func PrepareRecord(v *Vulnerability, raw []byte) (*Prepared, error) {
	if raw == nil {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("encode %s: %w", v.ID, err)
		}
	}
	p := &Prepared{Record: v, modified: formatTime(v.Modified.Time)}
	if v.Published != nil {
		p.published = formatTime(v.Published.Time)
	}
	if v.Withdrawn != nil {
		p.withdrawn = formatTime(v.Withdrawn.Time)
	}
	var buf bytes.Buffer
	w := flaters.Get().(*flate.Writer)
	w.Reset(&buf)
	_, err := w.Write(raw)
	if err == nil {
		err = w.Close()
	}
	flaters.Put(w)
	if err != nil {
		return nil, fmt.Errorf("compress %s: %w", v.ID, err)
	}
	p.raw = buf.Bytes()
	for i, a := range v.Affected {
		if a.Package.Name == "" {
			continue
		}
		data, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("encode %s affected[%d]: %w", v.ID, i, err)
		}
		eco := NormalizeEcosystem(a.Package.Ecosystem)
		p.rows = append(p.rows, affectedRow{ecosystem: eco, name: NormalizeName(eco, a.Package.Name), idx: i, data: data})
	}
	seen := map[string]bool{v.ID: true}
	for _, s := range [][]string{v.Aliases, v.Upstream} {
		for _, a := range s {
			if a != "" && !seen[a] {
				seen[a] = true
				p.aliases = append(p.aliases, a)
			}
		}
	}
	return p, nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func decompress(b []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(b))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, MaxRecordSize+1))
	if err != nil {
		return nil, fmt.Errorf("decompress record: %w", err)
	}
	return out, nil
}
