package vulndb

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
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
