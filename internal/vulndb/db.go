package vulndb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// FileName is the name of the database file inside the database directory.
const FileName = "vulndb.sqlite"

// ErrNotFound is returned when a lookup finds nothing.
var ErrNotFound = errors.New("not found")

// DB is an open vulnerability database. It is safe for concurrent use; writes
// are serialised by SQLite.
type DB struct {
	sql          *sql.DB
	path         string
	hot, hotFull *sql.Stmt
	// Statements prepared once: the matcher runs them per finding, and preparing
	// a query costs more than running it.
	stmtRecord, stmtNVDCVSS, stmtKEV, stmtEPSS *sql.Stmt
	// The batch statements: one query for all of a scan's records or CVEs.
	stmtBriefs, stmtBriefsOf, stmtRaw, stmtRawOf, stmtCVSSBatch, stmtKEVBatch, stmtEPSSBatch *sql.Stmt

	migrated Migration // what Open migrated, if anything
}

// Migration is what Open did to bring an older database's schema up to date.
type Migration struct {
	From, To int // schema versions
	Took     time.Duration
}

// Migrated returns the migration Open made, and false when it made none (the
// schema was current, or the database new).
func (db *DB) Migrated() (Migration, bool) { return db.migrated, db.migrated.To != 0 }

// DefaultDir returns the default database directory, $XDG_CACHE_HOME/plimsoll
// (os.UserCacheDir on other systems).
func DefaultDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find cache directory: %w", err)
	}
	return filepath.Join(dir, "plimsoll"), nil
}

// Open opens, or creates, the database file at path and brings its schema up to
// date. Its directory is created when missing.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open vulnerability db: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(30000)", "synchronous(NORMAL)", "cache_size(-65536)", "journal_size_limit(67108864)", "mmap_size(2147483648)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open vulnerability db %s: %w", path, err)
	}
	db := &DB{sql: sdb, path: path}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open vulnerability db %s: %w", path, err)
	}
	for _, p := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&db.hot, hotQuery},
		{&db.hotFull, hotFullQuery},
		{&db.stmtRecord, recordQuery},
		{&db.stmtNVDCVSS, cvssQuery},
		{&db.stmtKEV, kevQuery},
		{&db.stmtEPSS, epssQuery},
		{&db.stmtBriefs, briefsQuery},
		{&db.stmtBriefsOf, briefsOfQuery},
		{&db.stmtRaw, rawQuery},
		{&db.stmtRawOf, rawOfQuery},
		{&db.stmtCVSSBatch, cvssBatchQuery},
		{&db.stmtKEVBatch, kevBatchQuery},
		{&db.stmtEPSSBatch, epssBatchQuery},
	} {
		if *p.stmt, err = sdb.PrepareContext(ctx, p.query); err != nil {
			db.Close()
			return nil, fmt.Errorf("open vulnerability db %s: prepare: %w", path, err)
		}
	}
	return db, nil
}

// ErrNoDatabase is returned by OpenExisting when there is no database file.
var ErrNoDatabase = errors.New("no vulnerability database (run 'plimsoll db update' or 'plimsoll db import')")

// OpenExisting opens the database at path like Open, but fails with an error
// wrapping ErrNoDatabase when the file does not exist, rather than creating an
// empty database that would match nothing. Readers such as scanners use it.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open %s: %w", path, ErrNoDatabase)
	}
	return Open(ctx, path)
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error {
	for _, st := range []*sql.Stmt{db.hot, db.hotFull, db.stmtRecord, db.stmtNVDCVSS, db.stmtKEV, db.stmtEPSS,
		db.stmtBriefs, db.stmtBriefsOf, db.stmtRaw, db.stmtRawOf, db.stmtCVSSBatch, db.stmtKEVBatch, db.stmtEPSSBatch} {
		if st != nil {
			st.Close()
		}
	}
	return db.sql.Close()
}

func (db *DB) migrate(ctx context.Context) error {
	var v int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > schemaVersion {
		return fmt.Errorf("schema version %d is newer than this plimsoll knows (%d): upgrade plimsoll", v, schemaVersion)
	}
	if v == schemaVersion {
		return nil
	}
	start := time.Now()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	for i := v; i < schemaVersion; i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if v > 0 { // version 0 is a new, empty file
		db.migrated = Migration{From: v, To: schemaVersion, Took: time.Since(start)}
	}
	return nil
}
