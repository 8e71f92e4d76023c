package apk

import (
	"os"
	"testing"
)

func FuzzParseInstalled(f *testing.F) {
	if b, err := os.ReadFile("testdata/installed"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("P:a\nV:1\nF:x\nR:y\n\nP:b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, _ := ParseInstalled(b)
		for _, e := range entries {
			if e.Name == "" || e.Version == "" {
				t.Fatalf("entry without name or version: %+v", e)
			}
			for _, p := range e.Files {
				if len(p) == 0 || p[0] != '/' {
					t.Fatalf("file path %q is not absolute", p)
				}
			}
		}
	})
}

// FuzzParseInstalledFiles: file records stay aligned with the files, and
// checksums decode to a digest of their algorithm's size or fail.
func FuzzParseInstalledFiles(f *testing.F) {
	if b, err := os.ReadFile("testdata/installed"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("P:a\nV:1\nF:x\nR:y\na:0:0:4755\nZ:Q12jmj7l5rSw0yVb/vlWAYkK/YBwk=\nR:z\nZ:d41d8cd98f00b204e9800998ecf8427e\n"))
	sizes := map[string]int{ChecksumMD5: 16, ChecksumSHA1: 20, ChecksumSHA256: 32}
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, _ := ParseInstalledFiles(b)
		for _, e := range entries {
			if len(e.Records) != len(e.Files) {
				t.Fatalf("%d records for %d files", len(e.Records), len(e.Files))
			}
			for i, r := range e.Records {
				if r.Path != e.Files[i] || r.Mode > 0o7777 {
					t.Fatalf("record %+v for %s", r, e.Files[i])
				}
				if alg, sum, err := ParseChecksum(r.Checksum); err == nil && len(sum) != sizes[alg] {
					t.Fatalf("%s checksum of %d bytes from %q", alg, len(sum), r.Checksum)
				}
			}
		}
	})
}
