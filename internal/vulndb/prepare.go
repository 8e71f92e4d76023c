package vulndb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/klauspost/compress/flate"
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
	brief     []byte // encodeBrief
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

// Preparer prepares records, reusing its compressor (about 1 MB of state, too
// big to allocate per record). One Preparer serves one goroutine.
type Preparer struct {
	w *flate.Writer
}

// NewPreparer returns a Preparer.
func NewPreparer() *Preparer {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return &Preparer{w: w}
}

var preparers = sync.Pool{New: func() any { return NewPreparer() }}

// Prepare parses raw as an OSV record and prepares it for Tx.Put. Bulk loads
// should give each goroutine its own Preparer.
func Prepare(raw []byte) (*Prepared, error) {
	pp := preparers.Get().(*Preparer)
	defer preparers.Put(pp)
	return pp.Prepare(raw)
}

// PrepareRecord prepares an already parsed record; see Preparer.PrepareRecord.
func PrepareRecord(v *Vulnerability, raw []byte) (*Prepared, error) {
	pp := preparers.Get().(*Preparer)
	defer preparers.Put(pp)
	return pp.PrepareRecord(v, raw)
}

// Prepare parses raw as an OSV record and prepares it for Tx.Put.
func (pp *Preparer) Prepare(raw []byte) (*Prepared, error) {
	v, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	return pp.PrepareRecord(v, raw)
}

// PrepareRecord prepares an already parsed record; raw is kept as its original
// form (when nil, the record is encoded).
func (pp *Preparer) PrepareRecord(v *Vulnerability, raw []byte) (*Prepared, error) {
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
	buf := bytes.NewBuffer(make([]byte, 0, len(raw)/3+64))
	pp.w.Reset(buf)
	_, err := pp.w.Write(raw)
	if err == nil {
		err = pp.w.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("compress %s: %w", v.ID, err)
	}
	p.raw = buf.Bytes()
	p.brief = encodeBrief(BriefOf(v))
	for i, a := range v.Affected {
		if a.Package.Name == "" {
			continue
		}
		data := encodeAffected(&v.Affected[i])
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
