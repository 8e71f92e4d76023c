package osv

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// bucket serves records laid out like the OSV bucket.
type bucket struct {
	mu       sync.Mutex
	records  map[string]map[string][]byte // ecosystem → id → JSON
	broken   map[string][]byte            // path → body served instead
	status   map[string]int               // path → error status served instead
	requests []string
}

func newBucket(t *testing.T) (*bucket, *httptest.Server) {
	t.Helper()
	b := &bucket{records: map[string]map[string][]byte{}, broken: map[string][]byte{}, status: map[string]int{}}
	files, _ := filepath.Glob("testdata/bucket/*/*.json")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.put(filepath.Base(filepath.Dir(p)), data)
	}
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return b, srv
}

func (b *bucket) put(eco string, data []byte) {
	v, err := vulndb.Parse(data)
	if err != nil {
		panic(err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.records[eco] == nil {
		b.records[eco] = map[string][]byte{}
	}
	b.records[eco][v.ID] = data
}

func (b *bucket) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.requests = append(b.requests, r.URL.Path)
	if s, ok := b.status[r.URL.Path]; ok {
		w.WriteHeader(s)
		return
	}
	if body, ok := b.broken[r.URL.Path]; ok {
		w.Write(body)
		return
	}
	eco, file := path.Split(strings.TrimPrefix(r.URL.Path, "/"))
	recs := b.records[strings.TrimSuffix(eco, "/")]
	switch {
	case file == "all.zip":
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for id, data := range recs {
			w, _ := zw.Create(id + ".json")
			w.Write(data)
		}
		zw.Close()
		w.Write(buf.Bytes())
	case file == "modified_id.csv":
		var lines []string
		for id, data := range recs {
			v, _ := vulndb.Parse(data)
			lines = append(lines, v.Modified.Format(time.RFC3339Nano)+","+id)
		}
		sort.Sort(sort.Reverse(sort.StringSlice(lines))) // newest first, as the bucket does
		body := strings.Join(lines, "\n") + "\n"
		etag := fmt.Sprintf(`"%x"`, len(body)*31+len(lines))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write([]byte(body))
	case strings.HasSuffix(file, ".json") && recs[strings.TrimSuffix(file, ".json")] != nil:
		w.Write(recs[strings.TrimSuffix(file, ".json")])
	default:
		http.NotFound(w, r)
	}
}

func (b *bucket) count(suffix string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, r := range b.requests {
		if strings.HasSuffix(r, suffix) {
			n++
		}
	}
	return n
}

func testFeed(t *testing.T, base string) (*Feed, *vulndb.DB) {
	t.Helper()
	c := fetch.New(nil)
	c.Logger = nil
	c.Retries = 1
	c.Sleep = func(context.Context, time.Duration) error { return nil }
	f := New(c, base)
	f.TempDir = t.TempDir()
	f.Now = func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }
	db, err := vulndb.Open(context.Background(), filepath.Join(t.TempDir(), vulndb.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return f, db
}

func affectedIDs(t *testing.T, db *vulndb.DB, eco, name string) []string {
	t.Helper()
	entries, err := db.Affected(context.Background(), eco, name)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestSyncFullThenIncremental(t *testing.T) {
	ctx := context.Background()
	b, srv := newBucket(t)
	f, db := testFeed(t, srv.URL)

	res, err := f.Sync(ctx, db, "PyPI")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Full || res.Stats.Added != 4 {
		t.Errorf("first sync = %+v, want a full load of 4", res)
	}
	st, _, _ := db.FeedState(ctx, Source, "PyPI")
	want := vulndb.FeedState{Source: "osv", Ecosystem: "PyPI", LastSync: f.Now(), LastAttempt: f.Now(),
		Cursor: "2023-07-06T22:29:19Z", Records: 4}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("state after full sync (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"PYSEC-2021-342"}, affectedIDs(t, db, "PyPI", "LXDUI")); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}

	// Upstream modifies one record (withdrawn before, now about another
	// package) and adds one.
	b.put("PyPI", []byte(`{"id":"PYSEC-2022-15","modified":"2024-03-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"loguru-ng"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`))
	b.put("PyPI", []byte(`{"id":"PYSEC-2024-999","modified":"2024-03-02T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"newpkg"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]}`))
	before := b.count(".json")
	res, err = f.Sync(ctx, db, "PyPI")
	if err != nil {
		t.Fatal(err)
	}
	// The two changed records, and the one modified at the cursor, again.
	if res.Full || res.Changed != 3 || res.Stats.Added != 1 || res.Stats.Replaced != 1 || res.Stats.Unchanged != 1 {
		t.Errorf("incremental sync = %+v", res)
	}
	if n := b.count(".json") - before; n != 3 {
		t.Errorf("incremental sync fetched %d records, want 3", n)
	}
	for name, want := range map[string][]string{"loguru": nil, "loguru-ng": {"PYSEC-2022-15"}, "newpkg": {"PYSEC-2024-999"}} {
		if diff := cmp.Diff(want, affectedIDs(t, db, "PyPI", name)); diff != "" {
			t.Errorf("Affected(%s) (-want +got)\n%s", name, diff)
		}
	}
	st, _, _ = db.FeedState(ctx, Source, "PyPI")
	if st.Cursor != "2024-03-02T00:00:00Z" || st.Records != 5 || st.ETag == "" {
		t.Errorf("state after incremental = %+v", st)
	}

	// Nothing changed: the conditional request answers 304.
	res, err = f.Sync(ctx, db, "PyPI")
	if err != nil || !res.NotModified {
		t.Errorf("third sync = %+v, %v; want not modified", res, err)
	}
}

func TestSyncEcosystemsAreSeparate(t *testing.T) {
	ctx := context.Background()
	_, srv := newBucket(t)
	f, db := testFeed(t, srv.URL)
	for _, eco := range []string{"PyPI", "Alpine"} {
		if _, err := f.Sync(ctx, db, eco); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"ALPINE-CVE-2016-6214", "ALPINE-CVE-2016-7568"}, affectedIDs(t, db, "Alpine:v3.4", "gd")); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	states, _ := db.FeedStates(ctx)
	if len(states) != 2 || states[0].Records != 2 || states[1].Records != 4 {
		t.Errorf("states = %+v", states)
	}
}

func TestSyncMalformed(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		synced  bool // a good sync first
		broken  string
		body    string
		wantErr error
		want    string
	}{
		{"garbage all.zip", false, "/PyPI/all.zip", "not a zip", vulndb.ErrMalformedArchive, "osv PyPI: all.zip: malformed archive"},
		{"empty all.zip", false, "/PyPI/all.zip", "PK\x05\x06" + strings.Repeat("\x00", 18), vulndb.ErrMalformedArchive, "osv PyPI: all.zip: malformed archive: it holds no records"},
		{"bad csv line", true, "/PyPI/modified_id.csv", "2024-01-01T00:00:00Z,X-1\nnot a time,X-2\n", nil, "osv PyPI: modified_id.csv line 2: timestamp \"not a time\" is not RFC 3339"},
		{"csv with 3 fields", true, "/PyPI/modified_id.csv", "2024-01-01T00:00:00Z,X-1,extra\n", nil, "osv PyPI: modified_id.csv: record on line 1: wrong number of fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, srv := newBucket(t)
			f, db := testFeed(t, srv.URL)
			if tc.synced {
				if _, err := f.Sync(ctx, db, "PyPI"); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := db.Counts(ctx)
			stBefore, _, _ := db.FeedState(ctx, Source, "PyPI")
			b.broken[tc.broken] = []byte(tc.body)
			_, err := f.Sync(ctx, db, "PyPI")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to start %q", err, tc.want)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want it to wrap %v", err, tc.wantErr)
			}
			after, _ := db.Counts(ctx)
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("failed sync changed the data (-before +after)\n%s", diff)
			}
			st, _, _ := db.FeedState(ctx, Source, "PyPI")
			if st.LastError == "" || st.Cursor != stBefore.Cursor || !st.LastSync.Equal(stBefore.LastSync) {
				t.Errorf("state after failed sync = %+v (before %+v)", st, stBefore)
			}
		})
	}
}

func TestSyncSkipsMissingAndBadRecords(t *testing.T) {
	ctx := context.Background()
	b, srv := newBucket(t)
	f, db := testFeed(t, srv.URL)
	if _, err := f.Sync(ctx, db, "PyPI"); err != nil {
		t.Fatal(err)
	}
	b.put("PyPI", []byte(`{"id":"GONE-1","modified":"2025-01-01T00:00:00Z"}`))
	b.put("PyPI", []byte(`{"id":"BAD-1","modified":"2025-01-01T00:00:00Z"}`))
	b.broken["/PyPI/BAD-1.json"] = []byte(`{"id": 1}`)
	delete(b.records["PyPI"], "GONE-1") // listed in no csv now; re-add only to the csv below
	b.broken["/PyPI/modified_id.csv"] = []byte("2025-01-01T00:00:00Z,GONE-1\n2025-01-01T00:00:00Z,BAD-1\n")
	res, err := f.Sync(ctx, db, "PyPI")
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Skipped != 2 || res.Stats.Added != 0 {
		t.Errorf("sync = %+v, want 2 skipped", res.Stats)
	}
	st, _, _ := db.FeedState(ctx, Source, "PyPI")
	if st.Skipped != 2 || st.Cursor != "2025-01-01T00:00:00Z" {
		t.Errorf("state = %+v", st)
	}
}

func TestParseModifiedCSV(t *testing.T) {
	got, err := ParseModifiedCSV([]byte("2024-06-13T09:34:19Z,GHSA-2222-3333-4444\n2024-06-12T00:00:00.5Z,PYSEC-2024-1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Modified{
		{time.Date(2024, 6, 13, 9, 34, 19, 0, time.UTC), "GHSA-2222-3333-4444"},
		{time.Date(2024, 6, 12, 0, 0, 0, 5e8, time.UTC), "PYSEC-2024-1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if _, err := ParseModifiedCSV([]byte("2024-06-13T09:34:19Z,../../etc/passwd\n")); err == nil {
		t.Error("accepted an id with a path in it")
	}
}

func FuzzParseModifiedCSV(f *testing.F) {
	f.Add([]byte("2024-06-13T09:34:19Z,GHSA-2222-3333-4444\n"))
	f.Add([]byte("1-01-01T00:00:00Z,X\r\n\"a,b\",c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mods, err := ParseModifiedCSV(data)
		if err != nil {
			return
		}
		for _, m := range mods {
			if vulndb.ValidateID(m.ID) != nil {
				t.Fatalf("accepted invalid id %q", m.ID)
			}
		}
	})
}

func TestSyncFetchFailureKeepsOldData(t *testing.T) {
	ctx := context.Background()
	b, srv := newBucket(t)
	f, db := testFeed(t, srv.URL)
	if _, err := f.Sync(ctx, db, "PyPI"); err != nil {
		t.Fatal(err)
	}
	stBefore, _, _ := db.FeedState(ctx, Source, "PyPI")
	b.put("PyPI", []byte(`{"id":"NEW-1","modified":"2025-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"newpkg"}}]}`))
	b.put("PyPI", []byte(`{"id":"NEW-2","modified":"2025-01-02T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"otherpkg"}}]}`))
	b.status["/PyPI/NEW-2.json"] = http.StatusBadGateway // retried, then given up
	_, err := f.Sync(ctx, db, "PyPI")
	if err == nil || !strings.HasPrefix(err.Error(), "osv PyPI: GET ") || !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Fatalf("err = %v", err)
	}
	if got := affectedIDs(t, db, "PyPI", "newpkg"); got != nil {
		t.Errorf("half an update is visible: %v", got)
	}
	st, _, _ := db.FeedState(ctx, Source, "PyPI")
	if st.Cursor != stBefore.Cursor || st.LastError == "" {
		t.Errorf("state = %+v", st)
	}
}
