package vulndb

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

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
