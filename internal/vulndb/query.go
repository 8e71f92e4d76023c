package vulndb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// hotQuery is one range scan of affected's clustered key: rows carry their
// advisory's id and modified time, and withdrawn advisories have no rows.
// EachAffected, the matcher's read, leaves the modified time out and takes
// the rows in the key's order: sorting them by id cost SQLite a third of
// the query, and a matcher sorts only the few it keeps. The binary data is
// read as text: the driver copies a text column into a new string, which the
// decoder cuts its strings from, where a blob would be copied twice (into a
// new slice, then out of it).
const (
	hotQuery     = `SELECT id, adv, COALESCE(CAST(data AS TEXT), '') AS data FROM affected WHERE ecosystem = ? AND name = ? ORDER BY adv, idx`
	hotFullQuery = `SELECT id, adv, COALESCE(CAST(data AS TEXT), '') AS data, modified FROM affected WHERE ecosystem = ? AND name = ? ORDER BY id, idx`
)

// AffectedEntry is one affected entry of one advisory, as the matcher needs it.
type AffectedEntry struct {
	ID       string    // the advisory's id
	Record   RecordRef // the advisory's row, for BriefsOf
	Modified time.Time // when the advisory last changed
	Affected Affected  // the entry: package, ranges, versions, ecosystem_specific
}

// RecordRef is an advisory's row in one database: a key that BriefsOf looks
// up faster than an id. It means nothing in another database.
type RecordRef int64

// Affected returns every affected entry for a package, in advisory id order,
// leaving out withdrawn advisories. Ecosystem and name are normalised first, so
// "debian:bookworm" finds "Debian:12" entries and "Django" finds PyPI's "django".
func (db *DB) Affected(ctx context.Context, ecosystem, name string) ([]AffectedEntry, error) {
	var out []AffectedEntry
	err := db.eachAffected(ctx, true, ecosystem, name, func(e *AffectedEntry) error {
		out = append(out, *e)
		return nil
	})
	return out, err
}

// EachAffected calls fn with each affected entry for a package, under the
// rules of Affected but in the order they are stored (by RecordRef, then by
// place in the record), and stops at fn's first error, returning it. A
// matcher keeps only the entries that match, instead of all of them. The
// entries' Modified is left zero: a matcher does not need it, and reading it
// cost a column and a time parse per row.
//
// *e and the arrays of its slices are reused from one call to the next, so
// that entries fn does not keep cost no allocation: fn keeps what it needs of
// an entry by copying the slices (the strings in them may be kept as they are).
func (db *DB) EachAffected(ctx context.Context, ecosystem, name string, fn func(e *AffectedEntry) error) error {
	return db.eachAffected(ctx, false, ecosystem, name, fn)
}

// eachAffected runs hotQuery, reusing one entry (EachAffected), or, for
// full, hotFullQuery, which adds the modified time, with new slices for every
// entry (Affected keeps them all).
func (db *DB) eachAffected(ctx context.Context, full bool, ecosystem, name string, fn func(e *AffectedEntry) error) error {
	st := db.hot
	if full {
		st = db.hotFull
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	eco := NormalizeEcosystem(ecosystem)
	// The query takes microseconds: running it without ctx's cancellation spares
	// the driver's per-statement watcher goroutine.
	rows, err := st.QueryContext(context.WithoutCancel(ctx), eco, NormalizeName(eco, name))
	if err != nil {
		return fmt.Errorf("query affected %s/%s: %w", ecosystem, name, err)
	}
	defer rows.Close()
	// Scanned into once, outside the loop: Scan's pointers make them escape,
	// and each row would cost an allocation.
	var id, data, modified string
	var ref any // int64: Scan converts to other integer types by reflection, through text
	dest := []any{&id, &ref, &data}
	if full {
		dest = append(dest, &modified)
	}
	var e AffectedEntry
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("query affected %s/%s: %w", ecosystem, name, err)
		}
		adv, ok := ref.(int64)
		if !ok {
			return fmt.Errorf("query affected %s/%s: %s: advisory row %T", ecosystem, name, id, ref)
		}
		if full {
			e = AffectedEntry{ID: id, Record: RecordRef(adv)}
		} else {
			e.ID, e.Record = id, RecordRef(adv)
		}
		if modified != "" {
			e.Modified, _ = ParseTime(modified)
		}
		if err := decodeAffected(data, &e.Affected, !full); err != nil {
			return fmt.Errorf("query affected %s/%s: decode %s: %w", ecosystem, name, e.ID, err)
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query affected %s/%s: %w", ecosystem, name, err)
	}
	return nil
}

const recordQuery = `SELECT raw FROM advisory WHERE id = ?`

// Record returns the stored record with exactly this id, withdrawn or not, or
// an error wrapping ErrNotFound.
func (db *DB) Record(ctx context.Context, id string) (*Vulnerability, error) {
	var raw []byte
	err := db.stmtRecord.QueryRowContext(ctx, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	return decodeStored(id, raw)
}

// RawRecord returns the stored record's JSON exactly as it was received.
func (db *DB) RawRecord(ctx context.Context, id string) ([]byte, error) {
	var raw []byte
	err := db.stmtRecord.QueryRowContext(ctx, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	return decompress(raw)
}

func decodeStored(id string, raw []byte) (*Vulnerability, error) {
	b, err := decompress(raw)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	var v Vulnerability
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("get %s: decode: %w", id, err)
	}
	return &v, nil
}

// Get returns the records known by id with aliases resolved: the record with
// that id first (when stored), then every record that lists id among its
// aliases or upstream ids, or that the record lists among its own, sorted by id.
// It returns an error wrapping ErrNotFound when there is none.
func (db *DB) Get(ctx context.Context, id string) ([]*Vulnerability, error) {
	rows, err := db.sql.QueryContext(ctx, `
SELECT id, raw FROM advisory WHERE id = ?1
UNION SELECT a.id, a.raw FROM alias l JOIN advisory a ON a.rowid = l.adv WHERE l.alias = ?1
UNION SELECT a.id, a.raw FROM advisory a WHERE a.id IN (
	SELECT l.alias FROM alias l JOIN advisory s ON s.rowid = l.adv WHERE s.id = ?1)`, id)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	defer rows.Close()
	var out []*Vulnerability
	for rows.Next() {
		var rid string
		var raw []byte
		if err := rows.Scan(&rid, &raw); err != nil {
			return nil, fmt.Errorf("get %s: %w", id, err)
		}
		v, err := decodeStored(rid, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("get %s: %w", id, ErrNotFound)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].ID == id) != (out[j].ID == id) {
			return out[i].ID == id
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Counts are the sizes of the database's tables.
type Counts struct {
	Advisories, Withdrawn, Affected, CVSS, KEV, EPSS int64
}

// Counts counts the rows of each table.
func (db *DB) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := db.sql.QueryRowContext(ctx, `SELECT
	(SELECT count(*) FROM advisory), (SELECT count(*) FROM advisory WHERE withdrawn IS NOT NULL),
	(SELECT count(*) FROM affected), (SELECT count(*) FROM cvss),
	(SELECT count(*) FROM kev), (SELECT count(*) FROM epss)`).
		Scan(&c.Advisories, &c.Withdrawn, &c.Affected, &c.CVSS, &c.KEV, &c.EPSS)
	if err != nil {
		return c, fmt.Errorf("count: %w", err)
	}
	return c, nil
}
