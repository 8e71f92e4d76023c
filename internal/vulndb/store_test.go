package vulndb

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "db", FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func load(t *testing.T, db *DB, source string, files []File) LoadStats {
	t.Helper()
	var st LoadStats
	err := db.Update(context.Background(), source, func(tx *Tx) error {
		var err error
		st, err = PutAll(context.Background(), tx, func(yield func(File, error) bool) {
			for _, f := range files {
				if !yield(f, nil) {
					return
				}
			}
		})
		return err
	})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return st
}

func loadFixtures(t *testing.T, db *DB) LoadStats {
	t.Helper()
	var st LoadStats
	err := db.Update(context.Background(), "import", func(tx *Tx) error {
		var err error
		st, err = PutAll(context.Background(), tx, DirFiles("testdata/osv"))
		return err
	})
	if err != nil {
		t.Fatalf("load fixtures: %v", err)
	}
	return st
}

func record(id, modified, eco, name string) File {
	return File{Name: id + ".json", Data: []byte(`{"id":"` + id + `","modified":"` + modified + `","aliases":["CVE-` + id + `"],
	"affected":[{"package":{"ecosystem":"` + eco + `","name":"` + name + `"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]}]}`)}
}

func ids(entries []AffectedEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.ID)
	}
	return out
}

func TestAffected(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	st := loadFixtures(t, db)
	if diff := cmp.Diff(LoadStats{Read: 6, PutStats: PutStats{Added: 6, MaxModified: time.Date(2023, 8, 17, 3, 22, 33, 0, time.UTC)}}, st); diff != "" {
		t.Errorf("load stats (-want +got)\n%s", diff)
	}
	tests := []struct {
		eco, name string
		want      []string
	}{
		{"PyPI", "PyWasm3", []string{"PYSEC-2022-43058"}},
		{"pypi", "cipherbcrypt", []string{"PYSEC-2024-55"}},
		{"alpine:3.4.6", "gd", []string{"ALPINE-CVE-2016-7568"}},
		{"Alpine:v3.5", "gd", nil},
		{"npm", "bower", []string{"NSWG-ECO-487"}},
		{"Go", "chainguard.dev/melange", []string{"GO-2026-4588"}},
		{"Go", "github.com/lib/pq", nil}, // withdrawn
	}
	for _, tc := range tests {
		t.Run(tc.eco+"/"+tc.name, func(t *testing.T) {
			got, err := db.Affected(ctx, tc.eco, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	got, err := db.Affected(ctx, "PyPI", "pywasm3")
	if err != nil || len(got) != 1 {
		t.Fatalf("Affected = %v, %v", got, err)
	}
	if diff := cmp.Diff(Package{Ecosystem: "PyPI", Name: "pywasm3", Purl: "pkg:pypi/pywasm3"}, got[0].Affected.Package); diff != "" {
		t.Errorf("package (-want +got)\n%s", diff)
	}
	if len(got[0].Affected.Ranges) == 0 || got[0].Affected.Ranges[0].Events[0].Introduced == "" {
		t.Errorf("ranges lost: %+v", got[0].Affected.Ranges)
	}
}

func TestGetResolvesAliases(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	loadFixtures(t, db)
	tests := []struct {
		id   string
		want []string
	}{
		{"GO-2026-6168", []string{"GO-2026-6168"}},
		{"CVE-2026-56869", []string{"GO-2026-6168"}},
		{"CVE-2016-7568", []string{"ALPINE-CVE-2016-7568"}}, // upstream
		{"CVE-2022-39974", []string{"PYSEC-2022-43058"}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			recs, err := db.Get(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, r.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	recs, _ := db.Get(ctx, "GO-2026-6168")
	if len(recs) != 1 || !recs[0].IsWithdrawn() {
		t.Errorf("withdrawn record not kept as withdrawn: %+v", recs)
	}
	if _, err := db.Get(ctx, "CVE-1999-0001"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of unknown id: err = %v, want ErrNotFound", err)
	}
}

func TestPutReplacesModified(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	load(t, db, "test", []File{record("X-1", "2024-01-01T00:00:00Z", "npm", "old")})
	st := load(t, db, "test", []File{record("X-1", "2024-02-01T00:00:00Z", "npm", "new")})
	if diff := cmp.Diff(PutStats{Replaced: 1, MaxModified: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}, st.PutStats); diff != "" {
		t.Errorf("stats (-want +got)\n%s", diff)
	}
	st = load(t, db, "test", []File{record("X-1", "2023-01-01T00:00:00Z", "npm", "older")})
	if diff := cmp.Diff(PutStats{Unchanged: 1, MaxModified: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)}, st.PutStats); diff != "" {
		t.Errorf("stats (-want +got)\n%s", diff)
	}
	for name, want := range map[string][]string{"old": nil, "new": {"X-1"}, "older": nil} {
		got, err := db.Affected(ctx, "npm", name)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, ids(got)); diff != "" {
			t.Errorf("Affected(npm, %s) (-want +got)\n%s", name, diff)
		}
	}
	c, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Advisories: 1, Affected: 1}, c); diff != "" {
		t.Errorf("counts (-want +got)\n%s", diff)
	}
}

func TestPutAllSkipsBadRecords(t *testing.T) {
	db := openTemp(t)
	st := load(t, db, "test", []File{
		record("X-1", "2024-01-01T00:00:00Z", "npm", "a"),
		{Name: "bad.json", Data: []byte(`{"id":`)},
		{Name: "unreadable.json", Err: errors.New("permission denied")},
	})
	want := LoadStats{Read: 3, Skipped: 2, PutStats: PutStats{Added: 1, MaxModified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, Skips: []Skip{
		{Name: "bad.json", Err: "invalid OSV record: unexpected end of JSON input"},
		{Name: "unreadable.json", Err: "permission denied"},
	}}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestZipFiles(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []File{record("X-1", "2024-01-01T00:00:00Z", "npm", "a"), record("X-2", "2024-01-01T00:00:00Z", "PyPI", "B")} {
		w, _ := zw.Create(f.Name)
		w.Write(f.Data)
	}
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	db := openTemp(t)
	var st LoadStats
	err = db.Update(context.Background(), "zip", func(tx *Tx) error {
		st, err = PutAll(context.Background(), tx, ZipFiles(zr))
		return err
	})
	if err != nil || st.Added != 2 {
		t.Fatalf("PutAll(zip) = %+v, %v; want 2 added", st, err)
	}
	got, _ := db.Affected(context.Background(), "PyPI", "b")
	if diff := cmp.Diff([]string{"X-2"}, ids(got)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}

	// Corrupt the first member's deflate stream: the archive is malformed and
	// the update leaves nothing behind.
	bad := bytes.Clone(buf.Bytes())
	for i := 40; i < 80; i++ {
		bad[i] ^= 0xff
	}
	zr, err = zip.NewReader(bytes.NewReader(bad), int64(len(bad)))
	if err != nil {
		t.Fatal(err)
	}
	db2 := openTemp(t)
	err = db2.Update(context.Background(), "zip", func(tx *Tx) error {
		_, err := PutAll(context.Background(), tx, ZipFiles(zr))
		return err
	})
	if !errors.Is(err, ErrMalformedArchive) {
		t.Fatalf("err = %v, want ErrMalformedArchive", err)
	}
	if c, _ := db2.Counts(context.Background()); c.Advisories != 0 {
		t.Errorf("failed update left %d advisories", c.Advisories)
	}
}

func TestEnrichmentAndState(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	loadFixtures(t, db)
	score := 7.5
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err := db.Update(ctx, "nvd", func(tx *Tx) error {
		if err := tx.PutCVSS(ctx, "CVE-2022-39974", CVSS{Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", Score: &score}); err != nil {
			return err
		}
		if err := tx.ReplaceKEV(ctx, []KEV{{CVE: "CVE-2022-39974", DateAdded: "2024-01-01", DueDate: "2024-01-22", Ransomware: "Known"}}); err != nil {
			return err
		}
		if err := tx.ReplaceEPSS(ctx, []EPSS{{CVE: "CVE-2022-39974", Score: 0.5, Percentile: 0.9, Date: "2026-01-02"}}); err != nil {
			return err
		}
		return tx.SetFeedState(ctx, FeedState{Source: "nvd", LastSync: now, LastAttempt: now, Cursor: "c1", Records: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	cv, err := db.CVSS(ctx, "CVE-2022-39974")
	if err != nil {
		t.Fatal(err)
	}
	wantCVSS := []CVSS{
		{Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", Score: &score},
		{Source: "PYSEC-2022-43058", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", Score: &score},
	}
	if diff := cmp.Diff(wantCVSS, cv); diff != "" {
		t.Errorf("CVSS (-want +got)\n%s", diff)
	}
	k, err := db.KEV(ctx, "CVE-2022-39974")
	if err != nil || k.Ransomware != "Known" || k.DueDate != "2024-01-22" {
		t.Errorf("KEV = %+v, %v", k, err)
	}
	if _, err := db.KEV(ctx, "CVE-2000-0001"); !errors.Is(err, ErrNotFound) {
		t.Errorf("KEV of unknown: %v", err)
	}
	e, err := db.EPSS(ctx, "CVE-2022-39974")
	if diff := cmp.Diff(EPSS{CVE: "CVE-2022-39974", Score: 0.5, Percentile: 0.9, Date: "2026-01-02"}, e); diff != "" || err != nil {
		t.Errorf("EPSS (-want +got) err=%v\n%s", err, diff)
	}
	later := now.Add(time.Hour)
	if err := db.RecordFeedError(ctx, "nvd", "", later, errors.New("nvd: 503")); err != nil {
		t.Fatal(err)
	}
	st, ok, err := db.FeedState(ctx, "nvd", "")
	if err != nil || !ok {
		t.Fatalf("FeedState: %v %v", ok, err)
	}
	want := FeedState{Source: "nvd", LastSync: now, LastAttempt: later, Cursor: "c1", Records: 1, LastError: "nvd: 503"}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("feed state (-want +got)\n%s", diff)
	}
}

func TestDeleteUnseen(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	load(t, db, "osv/npm", []File{record("X-1", "2024-01-01T00:00:00Z", "npm", "a"), record("X-2", "2024-01-01T00:00:00Z", "npm", "b")})
	load(t, db, "other", []File{record("Y-1", "2024-01-01T00:00:00Z", "npm", "c")})
	var n int
	err := db.Update(ctx, "osv/npm", func(tx *Tx) error {
		tx.TrackSeen()
		p, err := Prepare(record("X-2", "2024-01-01T00:00:00Z", "npm", "b").Data)
		if err != nil {
			return err
		}
		if err := tx.Put(ctx, p); err != nil {
			return err
		}
		n, err = tx.DeleteUnseen(ctx)
		return err
	})
	if err != nil || n != 1 {
		t.Fatalf("DeleteUnseen = %d, %v; want 1", n, err)
	}
	for name, want := range map[string]int{"a": 0, "b": 1, "c": 1} {
		if got, _ := db.Affected(ctx, "npm", name); len(got) != want {
			t.Errorf("Affected(npm, %s) has %d entries, want %d", name, len(got), want)
		}
	}
}

func TestPutIdenticalIsUnchanged(t *testing.T) {
	db := openTemp(t)
	f := record("X-1", "2024-01-01T00:00:00Z", "npm", "a")
	load(t, db, "test", []File{f})
	st := load(t, db, "test", []File{f})
	if st.Unchanged != 1 || st.Replaced != 0 {
		t.Errorf("second put of the same record: %+v, want unchanged", st.PutStats)
	}
	// Same modified time, different content: the newer arrival wins.
	g := record("X-1", "2024-01-01T00:00:00Z", "npm", "b")
	if st := load(t, db, "test", []File{g}); st.Replaced != 1 {
		t.Errorf("same modified, new content: %+v, want replaced", st.PutStats)
	}
}

func TestOpenExisting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	if _, err := OpenExisting(ctx, path); !errors.Is(err, ErrNoDatabase) {
		t.Fatalf("OpenExisting of nothing: %v, want ErrNoDatabase", err)
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = OpenExisting(ctx, path)
	if err != nil {
		t.Fatalf("OpenExisting after Open: %v", err)
	}
	db.Close()
}

func TestIdenticalRecordMovesToTheNewSource(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	f := record("X-1", "2024-01-01T00:00:00Z", "npm", "a")
	load(t, db, "import", []File{f})
	load(t, db, "osv/npm", []File{f})
	var n int64
	err := db.Update(ctx, "osv/npm", func(tx *Tx) error {
		var err error
		n, err = tx.CountSource(ctx, "osv/npm")
		return err
	})
	if err != nil || n != 1 {
		t.Errorf("osv/npm holds %d records (%v), want 1", n, err)
	}
}

// TestCorruptRows checks that a damaged affected or brief row is an error
// naming the record, from EachAffected, Affected and Briefs, not a panic or
// a silently empty answer.
func TestCorruptRows(t *testing.T) {
	ctx := context.Background()
	badData := []any{[]byte{0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{0x09}, []byte{}}
	for _, tc := range []struct {
		table, column string
		bad           []any
	}{
		{"affected", "data", badData},
		{"affected", "adv", []any{"x"}}, // a text rowid: the matcher reads it as the brief's key
		{"brief", "data", badData},
	} {
		t.Run(tc.table+"."+tc.column, func(t *testing.T) {
			db := openTemp(t)
			load(t, db, "import", []File{record("BAD-1", "2024-01-01T00:00:00Z", "npm", "pkg1")})
			var ref RecordRef
			if err := db.sql.QueryRowContext(ctx, `SELECT rowid FROM advisory WHERE id = 'BAD-1'`).Scan(&ref); err != nil {
				t.Fatal(err)
			}
			for _, bad := range tc.bad {
				if _, err := db.sql.ExecContext(ctx, `UPDATE `+tc.table+` SET `+tc.column+` = ?`, bad); err != nil {
					t.Fatal(err)
				}
				var errs []error
				if tc.table == "affected" {
					_, err := db.Affected(ctx, "npm", "pkg1")
					errs = append(errs, err, db.EachAffected(ctx, "npm", "pkg1", func(*AffectedEntry) error { return nil }))
				} else {
					_, err := db.Briefs(ctx, []string{"BAD-1"})
					_, errOf := db.BriefsOf(ctx, []RecordRef{ref})
					errs = append(errs, err, errOf)
				}
				for _, err := range errs {
					if err == nil || !strings.Contains(err.Error(), "BAD-1") {
						t.Errorf("%s.%s = %v: error %v, want one naming BAD-1", tc.table, tc.column, bad, err)
					}
				}
			}
		})
	}
}
