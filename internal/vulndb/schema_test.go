package vulndb

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// oldStep is a statement, with its arguments, that builds an older database.
type oldStep struct {
	q    string
	args []any
}

// migrated builds a database by hand at the schema of version (its
// migrations, then steps), and opens it, which migrates it to the current
// schema.
func migrated(t *testing.T, version int, steps ...oldStep) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var all []oldStep
	for _, m := range migrations[:version] {
		all = append(all, oldStep{q: m})
	}
	all = append(all, oldStep{q: "PRAGMA user_version = " + strconv.Itoa(version)})
	for _, s := range append(all, steps...) {
		if _, err := raw.Exec(s.q, s.args...); err != nil {
			t.Fatalf("%s: %v", s.q, err)
		}
	}
	raw.Close()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrateFromV1 builds a version 1 database by hand and opens it.
func TestMigrateFromV1(t *testing.T) {
	ctx := context.Background()
	a := encodeAffected(&Affected{Package: Package{Ecosystem: "npm", Name: "a"}, Ranges: []Range{{Type: RangeSemver, Events: []Event{{Introduced: "0"}}}}})
	db := migrated(t, 1,
		oldStep{q: `INSERT INTO advisory (rowid, id, modified, source, raw) VALUES (1, 'X-1', '2024-01-01T00:00:00Z', 't', x'')`},
		oldStep{q: `INSERT INTO advisory (rowid, id, modified, withdrawn, source, raw) VALUES (2, 'X-2', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 't', x'')`},
		oldStep{`INSERT INTO affected (ecosystem, name, adv, idx, data) VALUES ('npm', 'a', 1, 0, ?)`, []any{a}},
		oldStep{`INSERT INTO affected (ecosystem, name, adv, idx, data) VALUES ('npm', 'a', 2, 0, ?)`, []any{a}},
	)
	got, err := db.Affected(ctx, "npm", "a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"X-1"}, ids(got)); diff != "" {
		t.Errorf("after migration (-want +got)\n%s", diff)
	}
	if len(got) == 1 && got[0].Modified.IsZero() {
		t.Error("modified not carried into affected")
	}
}

// TestMigrateBriefsToV5 builds a version 4 database, whose briefs are keyed by
// id, and checks that they are found by id and by RecordRef once migrated.
func TestMigrateBriefsToV5(t *testing.T) {
	ctx := context.Background()
	b := &Brief{ID: "X-7", Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Summary: "seven", Aliases: []string{"CVE-7"}}
	db := migrated(t, 4,
		oldStep{q: `INSERT INTO advisory (rowid, id, modified, source, raw) VALUES (1, 'X-1', '2024-01-01T00:00:00Z', 't', x''), (7, 'X-7', '2024-01-01T00:00:00Z', 't', x'')`},
		oldStep{`INSERT INTO brief (id, data) VALUES ('X-7', ?)`, []any{encodeBrief(b)}},
	)
	if m, ok := db.Migrated(); !ok || m.From != 4 || m.To != schemaVersion {
		t.Errorf("Migrated() = %+v, %v; want from 4 to %d", m, ok, schemaVersion)
	}
	byID, err := db.Briefs(ctx, []string{"X-7"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]*Brief{"X-7": b}, byID); diff != "" {
		t.Errorf("by id (-want +got)\n%s", diff)
	}
	byRef, err := db.BriefsOf(ctx, []RecordRef{7, 3})
	if err != nil {
		t.Fatal(err)
	}
	undated := *b // BriefsOf leaves the dates out
	undated.Modified = time.Time{}
	if diff := cmp.Diff(map[RecordRef]*Brief{7: &undated}, byRef); diff != "" {
		t.Errorf("by ref (-want +got)\n%s", diff)
	}
}

// TestNewDatabaseIsNotMigrated checks that creating a database, and opening a
// current one, report no migration.
func TestNewDatabaseIsNotMigrated(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	for range 2 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := db.Migrated(); ok {
			t.Errorf("Migrated() = %+v on a new or current database", m)
		}
		db.Close()
	}
}
