package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// TestOpenVulnDB: the one database opener scan (required) and evaluate
// (optional) share.
func TestOpenVulnDB(t *testing.T) {
	ctx := context.Background()
	_, synced := evalFixture(t) // a database with an import on record
	missing := &dbOptions{dir: filepath.Join(t.TempDir(), "none")}
	emptyDir := t.TempDir()
	empty := &dbOptions{dir: emptyDir}
	p, err := empty.path()
	if err != nil {
		t.Fatal(err)
	}
	db, err := vulndb.Open(ctx, p) // created, never synced
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	tests := []struct {
		name         string
		o            *dbOptions
		need         dbNeed
		requireFresh time.Duration
		wantDB       bool
		wantErr      string
		wantWarning  string
	}{
		{"required missing", missing, dbRequired, 0, false, "no vulnerability database at", ""},
		{"optional missing", missing, dbOptional, 0, false, "", ""},
		{"never synced warns", empty, dbRequired, 0, true, "", "no successful sync or import on record"},
		{"never synced is not fresh", empty, dbOptional, time.Hour, false, "older than --require-fresh-db 1h0m0s", ""},
		{"synced", &dbOptions{dir: synced}, dbRequired, 24 * time.Hour, true, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := openVulnDB(ctx, tc.o, tc.need, tc.requireFresh)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			if (got.DB != nil) != tc.wantDB {
				t.Errorf("database open %t, want %t", got.DB != nil, tc.wantDB)
			}
			warnings := strings.Join(got.Warnings, "\n")
			if (tc.wantWarning == "") != (warnings == "") || !strings.Contains(warnings, tc.wantWarning) {
				t.Errorf("warnings %q, want %q", warnings, tc.wantWarning)
			}
			if tc.wantDB && tc.wantWarning == "" && got.Newest.IsZero() {
				t.Error("newest sync is zero for a synced database")
			}
		})
	}
	if m, _ := filepath.Glob(filepath.Join(missing.dir, "*")); len(m) != 0 {
		t.Errorf("opening a missing database created %v", m)
	}
}
