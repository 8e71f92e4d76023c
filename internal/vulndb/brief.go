package vulndb

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/slab"
)

// Brief is what a finding shows of an advisory record: the names it goes by,
// its summary, references and severity vectors, and its dates. The matcher reads
// briefs rather than records, because decompressing and decoding a whole record
// (details, credits, every affected entry) costs about 0.1 ms and a scan can
// match thousands of records.
type Brief struct {
	ID         string
	Modified   time.Time
	Published  time.Time // zero when the record gives none
	Aliases    []string
	Upstream   []string
	Summary    string
	References []string // URLs, in the record's order, each once (records list one as ADVISORY and WEB)
	Severity   []Severity
}

// BriefOf returns the brief of a record.
func BriefOf(v *Vulnerability) *Brief {
	b := &Brief{ID: v.ID, Modified: v.Modified.Time, Aliases: orNil(v.Aliases), Upstream: orNil(v.Upstream), Summary: v.Summary, Severity: orNil(v.Severity)}
	if v.Published != nil {
		b.Published = v.Published.Time
	}
	for _, r := range v.References {
		if r.URL != "" && !slices.Contains(b.References, r.URL) {
			b.References = append(b.References, r.URL)
		}
	}
	return b
}

// orNil returns nil for an empty slice, as a decoded brief has.
func orNil[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// The brief column's binary form: the version byte 0x01, then
// uvarint-length-prefixed strings and uvarint counts, in the codec of the
// affected table:
//
//	published modified summary
//	n×alias n×upstream n×reference n×(severity type, score)
//
// Times are RFC 3339 text ("" for none). The id is the row's own.
const briefCodecV1 = 0x01

func encodeBrief(b *Brief) []byte {
	out := make([]byte, 0, 128+len(b.Summary))
	out = append(out, briefCodecV1)
	str := func(s string) { out = binary.AppendUvarint(out, uint64(len(s))); out = append(out, s...) }
	list := func(l []string) {
		out = binary.AppendUvarint(out, uint64(len(l)))
		for _, s := range l {
			str(s)
		}
	}
	published := ""
	if !b.Published.IsZero() {
		published = formatTime(b.Published)
	}
	str(published)
	str(formatTime(b.Modified))
	str(b.Summary)
	list(b.Aliases)
	list(b.Upstream)
	list(b.References)
	out = binary.AppendUvarint(out, uint64(len(b.Severity)))
	for _, s := range b.Severity {
		str(s.Type)
		str(s.Score)
	}
	return out
}

// decodeBrief decodes a brief row. It keeps no reference to data, which may be
// memory the driver reuses.
func decodeBrief(id string, data []byte) (*Brief, error) {
	var s briefSlab
	return s.decode(id, data)
}

// briefSlab decodes many briefs with few allocations: their text is copied
// into an arena, and the briefs and their lists are cut from slabs, each list
// capped so that appending to one cannot write into the next.
type briefSlab struct {
	text   textArena
	briefs []Brief
	strs   []string
	sevs   []Severity
	chunk  int // briefs per slab, when a slab runs out
}

// decode decodes a brief row; it keeps no reference to data.
func (s *briefSlab) decode(id string, data []byte) (*Brief, error) {
	if len(data) == 0 || data[0] != briefCodecV1 {
		return nil, fmt.Errorf("brief of %s: %w: unknown format", id, errCodec)
	}
	d := &decoder{s: s.text.copy(data[1:])}
	list := func() []string {
		n := d.num()
		if n == 0 {
			return nil
		}
		l := slab.Cut(&s.strs, n, 4*s.chunk)
		for i := range l {
			l[i] = d.str()
		}
		return l
	}
	published, modified := d.str(), d.str()
	summary := d.str()
	aliases, upstream, references := list(), list(), list()
	var severity []Severity
	if n := d.num(); n > 0 {
		severity = slab.Cut(&s.sevs, n, s.chunk)
		for i := range severity {
			severity[i] = Severity{Type: d.str(), Score: d.str()}
		}
	}
	if d.err == nil && len(d.s) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCodec, len(d.s))
	}
	if d.err != nil {
		return nil, fmt.Errorf("brief of %s: %w", id, d.err)
	}
	b := &slab.Cut(&s.briefs, 1, s.chunk)[0]
	// Briefs stored before BriefOf dropped repeated URLs may hold some.
	*b = Brief{ID: id, Summary: summary, Aliases: aliases, Upstream: upstream, References: uniqueInOrder(references), Severity: severity}
	if published != "" {
		t, err := ParseTime(published)
		if err != nil {
			return nil, fmt.Errorf("brief of %s: published: %w", id, err)
		}
		b.Published = t
	}
	t, err := ParseTime(modified)
	if err != nil {
		return nil, fmt.Errorf("brief of %s: modified: %w", id, err)
	}
	b.Modified = t
	return b, nil
}

// briefsQuery reads many records' briefs in one statement: the ids come as one
// JSON array, so a scan's thousands of records cost one query, not thousands.
// A join, not "id IN (SELECT …)": SQLite would first copy the list into a
// temporary index, which cost a third of the query; Briefs sorts the ids
// instead, so the seeks walk the table in order.
const briefsQuery = `SELECT b.id, b.data FROM json_each(?) j CROSS JOIN brief b ON b.id = j.value`

// rawQuery reads the records stored before schema 3, which have no brief.
const rawQuery = `SELECT a.id, a.raw FROM json_each(?) j CROSS JOIN advisory a ON a.id = j.value`

// Briefs returns the briefs of the records with these ids, withdrawn or not,
// keyed by id. Ids with no stored record are absent from the map.
func (db *DB) Briefs(ctx context.Context, ids []string) (map[string]*Brief, error) {
	out := make(map[string]*Brief, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	arg, err := json.Marshal(sortedUnique(ids))
	if err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	slab := briefSlab{chunk: min(len(ids), 256)}
	// Scanned into outside the loop: Scan's pointers make them escape, and
	// each row would cost two allocations.
	var id string
	var data sql.RawBytes
	err = db.each(ctx, db.stmtBriefs, string(arg), func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &data); err != nil {
			return err
		}
		b, err := slab.decode(id, data)
		out[id] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	var missing []string
	for _, id := range ids {
		if out[id] == nil {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	if arg, err = json.Marshal(missing); err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	err = db.each(ctx, db.stmtRaw, string(arg), func(rows *sql.Rows) error {
		var id string
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		v, err := decodeStored(id, raw)
		if err == nil {
			out[id] = BriefOf(v)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	return out, nil
}

// sortedUnique returns ids sorted, without repeats, for a batch query's join:
// ids itself when it is already, else a sorted copy.
func sortedUnique(ids []string) []string {
	if slices.IsSortedFunc(ids, func(a, b string) int {
		if a == b {
			return -1 // a repeat counts as out of order
		}
		return strings.Compare(a, b)
	}) {
		return ids
	}
	return slices.Compact(slices.Sorted(slices.Values(ids)))
}

// uniqueInOrder drops the repeats of a short list, keeping first places. A
// list without repeats is returned as it is.
func uniqueInOrder(l []string) []string {
	for i := 1; i < len(l); i++ {
		if slices.Contains(l[:i], l[i]) {
			out := slices.Clone(l[:i])
			for _, s := range l[i:] {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			return out
		}
	}
	return l
}
