package vulndb

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file      string
		id        string
		modified  time.Time
		withdrawn bool
		affected  int
		aliases   []string
	}{
		{"GO-2026-6168.json", "GO-2026-6168", time.Time{}, true, 1, []string{"CVE-2026-56869"}},
		{"PYSEC-2024-55.json", "PYSEC-2024-55", time.Time{}, false, 1, nil},
		{"ALPINE-CVE-2016-7568.json", "ALPINE-CVE-2016-7568", time.Date(2020, 6, 8, 0, 0, 0, 0, time.UTC), false, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata/osv", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			v, err := Parse(b)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := []any{v.ID, v.Modified.Time, v.IsWithdrawn(), len(v.Affected), v.Aliases}
			want := []any{tc.id, tc.modified, tc.withdrawn, tc.affected, tc.aliases}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"not json", `{`, "invalid OSV record: unexpected end of JSON input"},
		{"no id", `{"modified":"2024-01-01T00:00:00Z"}`, "invalid OSV record: id is missing"},
		{"bad id", `{"id":"../etc/passwd","modified":"2024-01-01T00:00:00Z"}`, `invalid OSV record: id "../etc/passwd" has character '/'`},
		{"no modified", `{"id":"X-1"}`, "invalid OSV record: X-1: modified is missing"},
		{"bad modified", `{"id":"X-1","modified":"yesterday"}`, `invalid OSV record: timestamp "yesterday" is not RFC 3339`},
		{"no ecosystem", `{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"name":"a"}}]}`,
			"invalid OSV record: X-1: affected[0]: package.ecosystem is missing"},
		{"bad range type", `{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"DATE","events":[{"introduced":"0"}]}]}]}`,
			`invalid OSV record: X-1: affected[0]: ranges[0]: range type "DATE" is not SEMVER, ECOSYSTEM or GIT`},
		{"two fields in event", `{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}`,
			"invalid OSV record: X-1: affected[0]: ranges[0]: events[0] has 2 of introduced/fixed/last_affected/limit, want exactly 1"},
		{"git without repo", `{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"type":"GIT","events":[{"introduced":"0"}]}]}]}`,
			"invalid OSV record: X-1: affected[0]: ranges[0]: GIT range without repo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			if !errors.Is(err, ErrInvalidRecord) {
				t.Errorf("error %v does not wrap ErrInvalidRecord", err)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-05-06T07:08:09Z", time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)},
		{"2024-05-06T09:08:09.5+02:00", time.Date(2024, 5, 6, 7, 8, 9, 5e8, time.UTC)},
		{"1-01-01T00:00:00Z", time.Time{}},
	}
	for _, tc := range tests {
		got, err := ParseTime(tc.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tc.in, err)
			continue
		}
		if !got.Equal(tc.want) {
			t.Errorf("ParseTime(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/osv/*.json")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"X-1","modified":"1-01-01T00:00:00Z","affected":[{"ranges":[{"type":"GIT","repo":"r","events":[{"fixed":"a"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidRecord) {
				t.Fatalf("error %v does not wrap ErrInvalidRecord", err)
			}
			return
		}
		// A parsed record must prepare, and its prepared form must parse again.
		p, err := PrepareRecord(v, nil)
		if err != nil {
			t.Fatalf("PrepareRecord: %v", err)
		}
		raw, err := decompress(p.raw)
		if err != nil {
			t.Fatalf("decompress: %v", err)
		}
		if _, err := Parse(raw); err != nil {
			t.Fatalf("re-parse of an encoded valid record: %v", err)
		}
	})
}
