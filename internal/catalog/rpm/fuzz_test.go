package rpm

import (
	"os"
	"testing"
)

func FuzzParseHeader(f *testing.F) {
	for _, p := range []string{"testdata/header-1.bin", "testdata/header-2.bin"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		if h.Name == "" || h.Version == "" {
			t.Fatalf("package without name or version: %+v", h)
		}
		for _, p := range h.Files {
			if p == "" || p[0] != '/' {
				t.Fatalf("file %q is not absolute", p)
			}
		}
	})
}

// FuzzReadSQLite feeds corrupted databases to the reader: it must fail cleanly.
func FuzzReadSQLite(f *testing.F) {
	if b, err := os.ReadFile("testdata/rpmdb.sqlite"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		blobs, err := ReadSQLite(t.Context(), b)
		if err != nil {
			return
		}
		for _, blob := range blobs {
			_, _ = ParseHeader(blob)
		}
	})
}

func FuzzReadBDB(f *testing.F) {
	if b, err := os.ReadFile("testdata/Packages"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		items, _ := ReadBDB(b)
		total := 0
		for _, it := range items {
			total += len(it)
		}
		if total > len(b) {
			t.Fatalf("%d bytes of items from a %d-byte file", total, len(b))
		}
	})
}

// FuzzReadNDB feeds corrupted NDB databases to the reader: no panic, and no more
// bytes of blobs than the file holds.
func FuzzReadNDB(f *testing.F) {
	for _, p := range []string{"testdata/Packages.db", "testdata/Packages-erased.db", "testdata/Packages-reused.db"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		blobs, _ := ReadNDB(b)
		total := 0
		for _, blob := range blobs {
			total += len(blob)
			_, _ = ParseHeader(blob)
		}
		if total > len(b) {
			t.Fatalf("%d bytes of blobs from a %d-byte file", total, len(b))
		}
	})
}

// FuzzParseFileRecords: the per-file arrays of a damaged header never panic
// and give one record per file, unknown facts left unknown.
func FuzzParseFileRecords(f *testing.F) {
	for _, p := range []string{"testdata/header-1.bin", "testdata/header-2.bin"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, recs, err := ParseFileRecords(b)
		if err != nil {
			return
		}
		if len(recs) != len(p.Files) {
			t.Fatalf("%d records for %d files", len(recs), len(p.Files))
		}
		for i, r := range recs {
			if r.Path != p.Files[i] || r.Algo == 0 {
				t.Fatalf("record %d: %+v", i, r)
			}
		}
	})
}
