package vulndb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/cvss"
)

// CVSS is one CVSS vector for a CVE, with its base score when known.
type CVSS struct {
	Source  string   // "nvd" (or NVD's own source name) or the id of the OSV record that carried it
	Version string   // "2.0", "3.0", "3.1", "4.0"
	Vector  string   // e.g. "CVSS:3.1/AV:N/AC:L/…"
	Score   *float64 // base score; nil when the source gave none
}

// KEV is a CISA Known Exploited Vulnerabilities catalogue entry.
type KEV struct {
	CVE        string
	Vendor     string
	Product    string
	Name       string
	DateAdded  string // YYYY-MM-DD
	DueDate    string // YYYY-MM-DD
	Ransomware string // knownRansomwareCampaignUse: "Known" or "Unknown"
}

// EPSS is a FIRST EPSS score for a CVE on a given day.
type EPSS struct {
	CVE        string
	Score      float64
	Percentile float64
	Date       string // YYYY-MM-DD of the scores
}

// PutCVSS stores a CVSS vector for a CVE, replacing one from the same source
// and version.
func (t *Tx) PutCVSS(ctx context.Context, cve string, c CVSS) error {
	var score any
	if c.Score != nil {
		score = *c.Score
	}
	if _, err := t.exec(ctx, `INSERT OR REPLACE INTO cvss (cve, source, version, vector, score) VALUES (?, ?, ?, ?, ?)`,
		cve, c.Source, c.Version, c.Vector, score); err != nil {
		return fmt.Errorf("store cvss %s: %w", cve, err)
	}
	return nil
}

// ReplaceKEV replaces the whole KEV catalogue.
func (t *Tx) ReplaceKEV(ctx context.Context, entries []KEV) error {
	if _, err := t.exec(ctx, `DELETE FROM kev`); err != nil {
		return fmt.Errorf("replace kev: %w", err)
	}
	for _, k := range entries {
		if _, err := t.exec(ctx, `INSERT OR REPLACE INTO kev (cve, vendor, product, name, date_added, due_date, ransomware) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			k.CVE, k.Vendor, k.Product, k.Name, k.DateAdded, k.DueDate, k.Ransomware); err != nil {
			return fmt.Errorf("replace kev %s: %w", k.CVE, err)
		}
	}
	return nil
}

// ReplaceEPSS replaces every EPSS score.
func (t *Tx) ReplaceEPSS(ctx context.Context, scores []EPSS) error {
	if _, err := t.exec(ctx, `DELETE FROM epss`); err != nil {
		return fmt.Errorf("replace epss: %w", err)
	}
	for _, e := range scores {
		if _, err := t.exec(ctx, `INSERT OR REPLACE INTO epss (cve, score, percentile, date) VALUES (?, ?, ?, ?)`,
			e.CVE, e.Score, e.Percentile, e.Date); err != nil {
			return fmt.Errorf("replace epss %s: %w", e.CVE, err)
		}
	}
	return nil
}

// CVSS returns every CVSS vector known for a CVE: NVD's, with base scores, and
// those in the severity of stored records that are, alias or name the CVE as
// upstream, with base scores computed for v2 and v3.x. NVD's come first.
func (db *DB) CVSS(ctx context.Context, cve string) ([]CVSS, error) {
	out, err := db.NVDCVSS(ctx, cve)
	if err != nil {
		return nil, err
	}
	return db.recordCVSS(ctx, cve, out)
}

const (
	cvssQuery = `SELECT source, version, vector, score FROM cvss WHERE cve = ? ORDER BY source, version`
	kevQuery  = `SELECT vendor, product, name, date_added, due_date, ransomware FROM kev WHERE cve = ?`
	epssQuery = `SELECT score, percentile, date FROM epss WHERE cve = ?`
)

// NVDCVSS returns the CVSS vectors stored for a CVE from NVD (the cvss table)
// only. The matcher uses it: it already holds the vectors of the records it
// matched, and reading every record that names the CVE again would decode them
// twice.
func (db *DB) NVDCVSS(ctx context.Context, cve string) ([]CVSS, error) {
	rows, err := db.stmtNVDCVSS.QueryContext(ctx, cve)
	if err != nil {
		return nil, fmt.Errorf("cvss %s: %w", cve, err)
	}
	defer rows.Close()
	var out []CVSS
	for rows.Next() {
		var c CVSS
		var score sql.NullFloat64
		if err := rows.Scan(&c.Source, &c.Version, &c.Vector, &score); err != nil {
			return nil, fmt.Errorf("cvss %s: %w", cve, err)
		}
		if score.Valid {
			c.Score = &score.Float64
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cvss %s: %w", cve, err)
	}
	return out, nil
}

// recordCVSS appends the vectors of the stored records that are, alias or name
// the CVE as upstream.
func (db *DB) recordCVSS(ctx context.Context, cve string, out []CVSS) ([]CVSS, error) {
	recs, err := db.Get(ctx, cve)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	for _, r := range recs {
		for _, s := range r.Severity {
			if v := cvssVersion(s); v != "" {
				c := CVSS{Source: r.ID, Version: v, Vector: s.Score}
				if v, err := cvss.Parse(s.Score); err == nil {
					score := v.BaseScore()
					c.Score = &score
				}
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// cvssVersion returns the CVSS version of an OSV severity entry, or "".
func cvssVersion(s Severity) string {
	switch s.Type {
	case SeverityCVSSv2:
		return "2.0"
	case SeverityCVSSv3:
		if strings.HasPrefix(s.Score, "CVSS:3.0/") {
			return "3.0"
		}
		return "3.1"
	case SeverityCVSSv4:
		return "4.0"
	}
	return ""
}

// KEV returns the KEV entry for a CVE, or an error wrapping ErrNotFound.
func (db *DB) KEV(ctx context.Context, cve string) (KEV, error) {
	k := KEV{CVE: cve}
	err := db.stmtKEV.QueryRowContext(ctx, cve).
		Scan(&k.Vendor, &k.Product, &k.Name, &k.DateAdded, &k.DueDate, &k.Ransomware)
	if errors.Is(err, sql.ErrNoRows) {
		return k, fmt.Errorf("kev %s: %w", cve, ErrNotFound)
	}
	if err != nil {
		return k, fmt.Errorf("kev %s: %w", cve, err)
	}
	return k, nil
}

// EPSS returns the EPSS score for a CVE, or an error wrapping ErrNotFound.
func (db *DB) EPSS(ctx context.Context, cve string) (EPSS, error) {
	e := EPSS{CVE: cve}
	err := db.stmtEPSS.QueryRowContext(ctx, cve).Scan(&e.Score, &e.Percentile, &e.Date)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("epss %s: %w", cve, ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("epss %s: %w", cve, err)
	}
	return e, nil
}

// FeedState is what the database knows of one source's last syncs.
type FeedState struct {
	Source       string    // "osv", "nvd", "kev", "epss", "import"
	Ecosystem    string    // OSV ecosystem; "" for sources without
	LastSync     time.Time // last successful sync; zero if never
	LastAttempt  time.Time // last attempt, successful or not
	Cursor       string    // source-specific: last modified time seen, NVD window end, …
	ETag         string    // from the last full download
	LastModified string    // Last-Modified of the last full download
	Records      int64     // records the source holds in the database
	Skipped      int64     // malformed records skipped in the last sync
	LastError    string    // error of the last attempt; "" when it succeeded
}

// SetFeedState stores st as the state of (st.Source, st.Ecosystem).
func (t *Tx) SetFeedState(ctx context.Context, st FeedState) error {
	if _, err := t.exec(ctx, `INSERT OR REPLACE INTO feed_state
	(source, ecosystem, last_sync, last_attempt, cursor, etag, last_modified, records, skipped, last_error)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.Source, st.Ecosystem, timeText(st.LastSync), timeText(st.LastAttempt), st.Cursor, st.ETag,
		st.LastModified, st.Records, st.Skipped, st.LastError); err != nil {
		return fmt.Errorf("store feed state %s/%s: %w", st.Source, st.Ecosystem, err)
	}
	return nil
}

// CountSource counts the records that source wrote.
func (t *Tx) CountSource(ctx context.Context, source string) (int64, error) {
	var n int64
	if err := t.scanRow(ctx, `SELECT count(*) FROM advisory WHERE source = ?`, []any{source}, &n); err != nil {
		return 0, fmt.Errorf("count %s: %w", source, err)
	}
	return n, nil
}

// CountCVSS counts the CVEs that have NVD CVSS vectors.
func (t *Tx) CountCVSS(ctx context.Context) (int64, error) {
	var n int64
	if err := t.scanRow(ctx, `SELECT count(DISTINCT cve) FROM cvss`, nil, &n); err != nil {
		return 0, fmt.Errorf("count cvss: %w", err)
	}
	return n, nil
}

// RecordFeedError notes a failed sync attempt in its own transaction, keeping
// FailSync records err as the last error of a source's sync (even when ctx is
// already cancelled: that is often why the sync failed) and returns it, joined
// with any failure to record it. Every feed's Sync ends its error path with it.
func (db *DB) FailSync(ctx context.Context, source, ecosystem string, at time.Time, err error) error {
	if rerr := db.RecordFeedError(context.WithoutCancel(ctx), source, ecosystem, at, err); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// the rest of the feed's state (and its data) as it was.
func (db *DB) RecordFeedError(ctx context.Context, source, ecosystem string, at time.Time, syncErr error) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO feed_state (source, ecosystem, last_attempt, last_error) VALUES (?, ?, ?, ?)
	ON CONFLICT (source, ecosystem) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error`,
		source, ecosystem, timeText(at), syncErr.Error())
	if err != nil {
		return fmt.Errorf("store feed error %s/%s: %w", source, ecosystem, err)
	}
	return nil
}

// FeedState returns the state of one source and ecosystem; ok is false when it
// never synced.
func (db *DB) FeedState(ctx context.Context, source, ecosystem string) (st FeedState, ok bool, err error) {
	all, err := db.feedStates(ctx, `WHERE source = ? AND ecosystem = ?`, source, ecosystem)
	if err != nil || len(all) == 0 {
		return FeedState{Source: source, Ecosystem: ecosystem}, false, err
	}
	return all[0], true, nil
}

// FeedStates returns the state of every source, sorted by source and ecosystem.
func (db *DB) FeedStates(ctx context.Context) ([]FeedState, error) {
	return db.feedStates(ctx, "")
}

func (db *DB) feedStates(ctx context.Context, where string, args ...any) ([]FeedState, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT source, ecosystem, last_sync, last_attempt, cursor, etag, last_modified, records, skipped, last_error
	FROM feed_state `+where+` ORDER BY source, ecosystem`, args...)
	if err != nil {
		return nil, fmt.Errorf("read feed state: %w", err)
	}
	defer rows.Close()
	var out []FeedState
	for rows.Next() {
		var st FeedState
		var last, attempt string
		if err := rows.Scan(&st.Source, &st.Ecosystem, &last, &attempt, &st.Cursor, &st.ETag, &st.LastModified, &st.Records, &st.Skipped, &st.LastError); err != nil {
			return nil, fmt.Errorf("read feed state: %w", err)
		}
		st.LastSync, _ = ParseTime(last)
		st.LastAttempt, _ = ParseTime(attempt)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read feed state: %w", err)
	}
	return out, nil
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}
