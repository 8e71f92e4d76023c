package vulndb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
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

// briefSlab decodes many briefs with few allocations: the briefs and their
// lists are cut from slabs, each list capped so that appending to one cannot
// write into the next.
type briefSlab struct {
	briefs []Brief
	strs   []string
	sevs   []Severity
	chunk  int // briefs per slab, when a slab runs out
	// noDates leaves Modified and Published zero (BriefsOf): a finding shows
	// neither, and parsing them cost a tenth of reading a scan's briefs.
	noDates bool
}

// decode decodes a brief row held in data, which its strings are cut from.
func (s *briefSlab) decode(id string, data string) (*Brief, error) {
	if len(data) == 0 || data[0] != briefCodecV1 {
		return nil, fmt.Errorf("brief of %s: %w: unknown format", id, errCodec)
	}
	d := &decoder{s: data[1:]}
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
	if s.noDates {
		return b, nil
	}
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

// The brief queries read many records' briefs in one statement: the keys
// come as one JSON array, so a scan's thousands of records cost one query, not
// thousands. A join, not "id IN (SELECT …)": SQLite would first copy the list
// into a temporary index, which cost a third of the query; the keys are sorted
// instead, so the seeks walk the table in order. By id, the join goes through
// advisory's index on id to the brief's row. The data is read as text, for
// the reason the hot query does.
const (
	briefsQuery   = `SELECT b.adv, b.id, COALESCE(CAST(b.data AS TEXT), '') AS data FROM json_each(?) j CROSS JOIN advisory a ON a.id = j.value CROSS JOIN brief b ON b.adv = a.rowid`
	briefsOfQuery = `SELECT b.adv, b.id, COALESCE(CAST(b.data AS TEXT), '') AS data FROM json_each(?) j CROSS JOIN brief b ON b.adv = j.value`
)

// The raw queries read the records stored before schema 3, which have no
// brief, by id and by RecordRef.
const (
	rawQuery   = `SELECT a.rowid, a.id, a.raw FROM json_each(?) j CROSS JOIN advisory a ON a.id = j.value`
	rawOfQuery = `SELECT a.rowid, a.id, a.raw FROM json_each(?) j CROSS JOIN advisory a ON a.rowid = j.value`
)

// Briefs returns the briefs of the records with these ids, withdrawn or not,
// keyed by id. Ids with no stored record are absent from the map.
func (db *DB) Briefs(ctx context.Context, ids []string) (map[string]*Brief, error) {
	return readBriefs(ctx, db, ids, db.stmtBriefs, db.stmtRaw, true, func(_ RecordRef, id string) string { return id })
}

// BriefsOf returns the briefs of the records with these refs (from
// AffectedEntry.Record), withdrawn or not, keyed by ref, for a matcher: their
// Modified and Published are left zero. Refs with no stored record are absent
// from the map.
func (db *DB) BriefsOf(ctx context.Context, refs []RecordRef) (map[RecordRef]*Brief, error) {
	return readBriefs(ctx, db, refs, db.stmtBriefsOf, db.stmtRawOf, false, func(ref RecordRef, _ string) RecordRef { return ref })
}

// readBriefs reads the briefs of the records with these keys (ids or refs)
// with the briefs statement, then, for keys it found none for, reads the
// records stored before schema 3 with the raw statement; key gives a row's
// key from its ref and id. dates says whether to parse Modified and Published.
func readBriefs[K cmp.Ordered](ctx context.Context, db *DB, keys []K, briefs, raw *sql.Stmt, dates bool, key func(RecordRef, string) K) (map[K]*Brief, error) {
	out := make(map[K]*Brief, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	arg, err := keysJSON(sortedUnique(keys))
	if err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	s := briefSlab{chunk: min(len(keys), 256), noDates: !dates}
	// Scanned into outside the loop: Scan's pointers make them escape, and
	// each row would cost allocations.
	var ref any // int64: Scan converts to other integer types by reflection, through text
	var id, data string
	err = db.each(ctx, briefs, arg, func(rows *sql.Rows) error {
		if err := rows.Scan(&ref, &id, &data); err != nil {
			return err
		}
		adv, ok := ref.(int64)
		if !ok {
			return fmt.Errorf("brief of %s: advisory row %T", id, ref)
		}
		b, err := s.decode(id, data)
		if err == nil {
			out[key(RecordRef(adv), id)] = b
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	var missing []K
	for _, k := range keys {
		if out[k] == nil {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	if arg, err = keysJSON(missing); err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	err = db.each(ctx, raw, arg, func(rows *sql.Rows) error {
		var adv RecordRef
		var raw []byte
		if err := rows.Scan(&adv, &id, &raw); err != nil {
			return err
		}
		v, err := decodeStored(id, raw)
		if err != nil {
			return err
		}
		b := BriefOf(v)
		if !dates {
			b.Modified, b.Published = time.Time{}, time.Time{}
		}
		out[key(adv, id)] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("briefs: %w", err)
	}
	return out, nil
}

// keysJSON is keys as a JSON array, for json_each. Refs are written directly:
// encoding/json's reflection on a scan's ten thousand of them cost about a
// millisecond of the briefs' read.
func keysJSON[K cmp.Ordered](keys []K) (string, error) {
	refs, ok := any(keys).([]RecordRef)
	if !ok {
		b, err := json.Marshal(keys)
		return string(b), err
	}
	b := make([]byte, 0, 2+8*len(refs))
	b = append(b, '[')
	for i, r := range refs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(r), 10)
	}
	return string(append(b, ']')), nil
}

// sortedUnique returns keys sorted, without repeats, for a batch query's
// join: keys itself when it is already, else a sorted copy.
func sortedUnique[K cmp.Ordered](keys []K) []K {
	if slices.IsSortedFunc(keys, func(a, b K) int {
		if a == b {
			return -1 // a repeat counts as out of order
		}
		return cmp.Compare(a, b)
	}) {
		return keys
	}
	return slices.Compact(slices.Sorted(slices.Values(keys)))
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
