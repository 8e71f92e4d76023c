package vulndb

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tx is one atomic update of the database: every change made through it is
// seen by readers all at once when Update returns nil, or not at all.
type Tx struct {
	tx     *sql.Tx
	source string
	stmts  map[string]*sql.Stmt
	seen   map[string]bool // ids put, when tracking
	// Stats counts what Put did.
	Stats PutStats
}

// PutStats counts the outcomes of Tx.Put.
type PutStats struct {
	Added, Replaced, Unchanged int
	// MaxModified is the latest modified time of the records put.
	MaxModified time.Time
}

// Update runs fn inside one transaction, tagging the records it writes with
// source ("osv/PyPI", "import", …). If fn returns an error, or the process dies
// before Update returns, nothing fn did is visible.
func (db *DB) Update(ctx context.Context, source string, fn func(*Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin update: %w", err)
	}
	defer tx.Rollback() // after a commit, a no-op
	t := &Tx{tx: tx, source: source, stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, s := range t.stmts {
			s.Close()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit update: %w", err)
	}
	return nil
}

// Statements inside a transaction run without ctx's cancellation: the driver
// would start a watcher goroutine per statement, which costs more than the
// statement. Put checks ctx once per record instead, and a cancelled update is
// rolled back by Update.

func (t *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s, ok := t.stmts[query]
	if !ok {
		var err error
		if s, err = t.tx.PrepareContext(context.WithoutCancel(ctx), query); err != nil {
			return nil, err
		}
		t.stmts[query] = s
	}
	return s, nil
}

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(context.WithoutCancel(ctx), args...)
}

// scanRow runs a one-row query and scans it into dest.
func (t *Tx) scanRow(ctx context.Context, query string, args []any, dest ...any) error {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return err
	}
	return s.QueryRowContext(context.WithoutCancel(ctx), args...).Scan(dest...)
}

// Put stores a prepared record. A record already stored under the same id is
// replaced, unless the stored one was modified later than p or is identical.
func (t *Tx) Put(ctx context.Context, p *Prepared) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := p.Record.ID
	if p.Record.Modified.After(t.Stats.MaxModified) {
		t.Stats.MaxModified = p.Record.Modified.Time
	}
	if t.seen != nil {
		t.seen[id] = true
	}
	var rowid int64
	var modified, source string
	var raw []byte
	err := t.scanRow(ctx, `SELECT rowid, modified, source, raw FROM advisory WHERE id = ?`, []any{id}, &rowid, &modified, &source, &raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := t.exec(ctx, `INSERT INTO advisory (id, modified, published, withdrawn, summary, source, raw) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, p.modified, nullable(p.published), nullable(p.withdrawn), p.Record.Summary, t.source, p.raw)
		if err != nil {
			return fmt.Errorf("store %s: %w", id, err)
		}
		if rowid, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("store %s: %w", id, err)
		}
		t.Stats.Added++
	case err != nil:
		return fmt.Errorf("store %s: %w", id, err)
	default:
		old, perr := ParseTime(modified)
		if perr == nil && (old.After(p.Record.Modified.Time) || old.Equal(p.Record.Modified.Time) && bytes.Equal(raw, p.raw)) {
			t.Stats.Unchanged++ // older than what is stored, or the same record
			if source != t.source && bytes.Equal(raw, p.raw) {
				// The same record from another feed: it now belongs to this one.
				if _, err := t.exec(ctx, `UPDATE advisory SET source = ? WHERE rowid = ?`, t.source, rowid); err != nil {
					return fmt.Errorf("store %s: %w", id, err)
				}
			}
			return nil
		}
		if err := t.clear(ctx, rowid); err != nil {
			return fmt.Errorf("replace %s: %w", id, err)
		}
		if err := t.noteNewFixes(ctx, p, raw); err != nil {
			return fmt.Errorf("replace %s: %w", id, err)
		}
		if _, err := t.exec(ctx, `UPDATE advisory SET modified = ?, published = ?, withdrawn = ?, summary = ?, source = ?, raw = ? WHERE rowid = ?`,
			p.modified, nullable(p.published), nullable(p.withdrawn), p.Record.Summary, t.source, p.raw, rowid); err != nil {
			return fmt.Errorf("replace %s: %w", id, err)
		}
		t.Stats.Replaced++
	}
	if _, err := t.exec(ctx, `INSERT OR REPLACE INTO brief (adv, id, data) VALUES (?, ?, ?)`, rowid, id, p.brief); err != nil {
		return fmt.Errorf("store %s: brief: %w", id, err)
	}
	rows := p.rows
	if p.withdrawn != "" {
		rows = nil // stored, never matched
	}
	for _, r := range rows {
		if _, err := t.exec(ctx, `INSERT OR REPLACE INTO affected (ecosystem, name, adv, idx, data, id, modified) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.ecosystem, r.name, rowid, r.idx, r.data, id, p.modified); err != nil {
			return fmt.Errorf("store %s: affected: %w", id, err)
		}
	}
	for _, a := range p.aliases {
		if _, err := t.exec(ctx, `INSERT OR IGNORE INTO alias (alias, adv) VALUES (?, ?)`, a, rowid); err != nil {
			return fmt.Errorf("store %s: alias: %w", id, err)
		}
	}
	return nil
}

func (t *Tx) clear(ctx context.Context, rowid int64) error {
	if _, err := t.exec(ctx, `DELETE FROM affected WHERE adv = ?`, rowid); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM alias WHERE adv = ?`, rowid)
	return err
}

// Delete removes the record with id, if stored. Feeds normally mark records
// withdrawn instead; Delete is for records that vanished from a full export.
func (t *Tx) Delete(ctx context.Context, id string) error {
	var rowid int64
	err := t.scanRow(ctx, `SELECT rowid FROM advisory WHERE id = ?`, []any{id}, &rowid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err == nil {
		err = t.clear(ctx, rowid)
	}
	if err == nil {
		_, err = t.exec(ctx, `DELETE FROM brief WHERE adv = ?`, rowid)
	}
	if err == nil {
		_, err = t.exec(ctx, `DELETE FROM fix_seen WHERE id = ?`, id)
	}
	if err == nil {
		_, err = t.exec(ctx, `DELETE FROM advisory WHERE rowid = ?`, rowid)
	}
	if err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	return nil
}

// TrackSeen makes the transaction remember the ids it puts, for DeleteUnseen.
func (t *Tx) TrackSeen() { t.seen = map[string]bool{} }

// DeleteUnseen deletes the records of this transaction's source that were not
// put since TrackSeen: those gone from a full export. It returns how many.
func (t *Tx) DeleteUnseen(ctx context.Context) (int, error) {
	if t.seen == nil {
		return 0, errors.New("delete unseen: TrackSeen was not called")
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT id FROM advisory WHERE source = ?`, t.source)
	if err != nil {
		return 0, fmt.Errorf("delete unseen: %w", err)
	}
	var gone []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("delete unseen: %w", err)
		}
		if !t.seen[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("delete unseen: %w", err)
	}
	for _, id := range gone {
		if err := t.Delete(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
