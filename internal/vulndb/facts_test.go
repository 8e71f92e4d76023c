package vulndb

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func fixRecord(modified string, fixed ...string) File {
	events := `{"introduced":"0"}`
	for _, f := range fixed {
		events += `,{"fixed":"` + f + `"}`
	}
	return File{Name: "F-1.json", Data: []byte(`{"id":"F-1","modified":"` + modified + `","published":"2023-06-01T00:00:00Z",
	"affected":[{"package":{"ecosystem":"Debian:12","name":"zlib"},"ranges":[{"type":"ECOSYSTEM","events":[` + events + `]}]}]}`)}
}

// TestFixSeen: a fix present when the record is first stored has no row (its
// publication dates it); one added by an update is dated by the update's
// modified time, and keeps that date through later updates.
func TestFixSeen(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	load(t, db, "test", []File{fixRecord("2024-01-01T00:00:00Z", "1.0")})
	load(t, db, "test", []File{fixRecord("2024-03-01T00:00:00Z", "1.0", "1.1")})
	load(t, db, "test", []File{fixRecord("2024-05-01T00:00:00Z", "1.0", "1.1")})
	got, err := db.FixSeen(ctx, "F-1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{"1.1": time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FixSeen (-want +got)\n%s", diff)
	}
	// A deleted record takes its observations with it, and so does its brief.
	if err := db.Update(ctx, "test", func(tx *Tx) error { return tx.Delete(ctx, "F-1") }); err != nil {
		t.Fatal(err)
	}
	if got, err := db.FixSeen(ctx, "F-1"); err != nil || len(got) != 0 {
		t.Errorf("FixSeen after Delete = %v, %v", got, err)
	}
	if got, err := db.Briefs(ctx, []string{"F-1"}); err != nil || len(got) != 0 {
		t.Errorf("Briefs after Delete = %v, %v", got, err)
	}
}

func TestHasEcosystem(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	load(t, db, "test", []File{fixRecord("2024-01-01T00:00:00Z", "1.0")})
	for eco, want := range map[string]bool{"debian:bookworm": true, "Debian:12": true, "Debian:11": false, "npm": false} {
		got, err := db.HasEcosystem(ctx, eco)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("HasEcosystem(%s) = %t, want %t", eco, got, want)
		}
	}
}
