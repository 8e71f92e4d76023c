package vulndb

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMigrateFromV1 builds a version 1 database by hand and opens it.
func TestMigrateFromV1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	a := Affected{Package: Package{Ecosystem: "npm", Name: "a"}, Ranges: []Range{{Type: RangeSemver, Events: []Event{{Introduced: "0"}}}}}
	for _, q := range []string{migrations[0], "PRAGMA user_version = 1",
		`INSERT INTO advisory (rowid, id, modified, source, raw) VALUES (1, 'X-1', '2024-01-01T00:00:00Z', 't', x'')`,
		`INSERT INTO advisory (rowid, id, modified, withdrawn, source, raw) VALUES (2, 'X-2', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 't', x'')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for adv := 1; adv <= 2; adv++ {
		if _, err := raw.Exec(`INSERT INTO affected (ecosystem, name, adv, idx, data) VALUES ('npm', 'a', ?, 0, ?)`, adv, encodeAffected(&a)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
	path := filepath.Join(t.TempDir(), FileName)
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	b := &Brief{ID: "X-7", Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Summary: "seven", Aliases: []string{"CVE-7"}}
	steps := append(slices.Clone(migrations[:4]), "PRAGMA user_version = 4",
		`INSERT INTO advisory (rowid, id, modified, source, raw) VALUES (1, 'X-1', '2024-01-01T00:00:00Z', 't', x''), (7, 'X-7', '2024-01-01T00:00:00Z', 't', x'')`)
	for _, q := range steps {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := raw.Exec(`INSERT INTO brief (id, data) VALUES ('X-7', ?)`, encodeBrief(b)); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
