package vulndb

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// sharedOSV returns the shared corpus of real OSV records, or skips.
func sharedOSV(b testing.TB) string {
	dir := os.Getenv("PLIMSOLL_SHARED_OSV")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata", "osv")
	}
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("no shared OSV corpus at %s", dir)
	}
	return dir
}

// BenchmarkImportShared imports every shared OSV record into a new database.
func BenchmarkImportShared(b *testing.B) {
	dir := sharedOSV(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), FileName))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := db.ImportPath(ctx, dir, nil, nowForBench)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Stats.Added), "records/op")
		db.Close()
	}
}

// BenchmarkAffected runs the hot query for random packages of the shared corpus.
func BenchmarkAffected(b *testing.B) {
	dir := sharedOSV(b)
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ImportPath(ctx, dir, nil, nowForBench); err != nil {
		b.Fatal(err)
	}
	pkgs, err := db.samplePackages(ctx, 1000)
	if err != nil || len(pkgs) == 0 {
		b.Fatalf("sample: %v", err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for b.Loop() {
		p := pkgs[r.IntN(len(pkgs))]
		if _, err := db.Affected(ctx, p[0], p[1]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare measures parsing, normalising and compressing one record.
func BenchmarkPrepare(b *testing.B) {
	data, err := os.ReadFile("testdata/osv/GO-2026-6168.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	pp := NewPreparer()
	for b.Loop() {
		if _, err := pp.Prepare(data); err != nil {
			b.Fatal(err)
		}
	}
}

var nowForBench = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkBriefs reads many records' briefs in one call: by id (Briefs, the
// policy's read) and by RecordRef (BriefsOf, the matcher's, which schema 5
// keys the brief table by). With PLIMSOLL_BENCH_DB (an absolute path) it reads
// every 46th record of that database, about 10 900 of the 500,000-record
// synthetic one, as many as the realistic image's findings need; without it,
// every record of the shared corpus.
func BenchmarkBriefs(b *testing.B) {
	ctx := context.Background()
	var db *DB
	var err error
	step := 1
	if p := os.Getenv("PLIMSOLL_BENCH_DB"); p != "" {
		db, err = OpenExisting(ctx, p)
		step = 46
	} else {
		dir := sharedOSV(b)
		if db, err = Open(ctx, filepath.Join(b.TempDir(), FileName)); err == nil {
			_, err = db.ImportPath(ctx, dir, nil, nowForBench)
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.sql.QueryContext(ctx, `SELECT rowid, id FROM advisory WHERE (rowid - 1) % ? = 0 ORDER BY rowid`, step)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	var refs []RecordRef
	for rows.Next() {
		var ref RecordRef
		var id string
		if err := rows.Scan(&ref, &id); err != nil {
			b.Fatal(err)
		}
		ids, refs = append(ids, id), append(refs, ref)
	}
	if err := rows.Err(); err != nil || len(ids) == 0 {
		b.Fatalf("sample: %d records, %v", len(ids), err)
	}
	slices.Sort(ids)
	b.Run("by-id", func(b *testing.B) {
		for b.Loop() {
			if got, err := db.Briefs(ctx, ids); err != nil || len(got) != len(ids) {
				b.Fatalf("%d of %d briefs, %v", len(got), len(ids), err)
			}
		}
		b.ReportMetric(float64(len(ids)), "briefs")
	})
	b.Run("by-ref", func(b *testing.B) {
		for b.Loop() {
			if got, err := db.BriefsOf(ctx, refs); err != nil || len(got) != len(refs) {
				b.Fatalf("%d of %d briefs, %v", len(got), len(refs), err)
			}
		}
		b.ReportMetric(float64(len(refs)), "briefs")
	})
}
