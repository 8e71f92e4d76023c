package nvd

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

type cve struct {
	id       string
	modified time.Time
	v31      string
	score    float64
}

// fakeNVD answers like the CVE API 2.0: paging, lastMod windows of at most
// 120 days (404 otherwise, as NVD does), and scripted rate-limit answers.
type fakeNVD struct {
	mu        sync.Mutex
	cves      []cve
	limited   map[int]int // request number → status to answer instead
	broken    string      // body for every answer when set
	failAt    string      // startIndex answered with 500 while set
	requests  []*http.Request
	maxWindow time.Duration
}

func (n *fakeNVD) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.requests = append(n.requests, r)
	if s, ok := n.limited[len(n.requests)]; ok {
		w.WriteHeader(s)
		return
	}
	if n.failAt != "" && r.URL.Query().Get("startIndex") == n.failAt {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if n.broken != "" {
		w.Write([]byte(n.broken))
		return
	}
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("resultsPerPage"))
	start, _ := strconv.Atoi(q.Get("startIndex"))
	var from, to time.Time
	if s := q.Get("lastModStartDate"); s != "" {
		var err1, err2 error
		from, err1 = time.Parse(nvdTime, s)
		to, err2 = time.Parse(nvdTime, q.Get("lastModEndDate"))
		if err1 != nil || err2 != nil || to.Sub(from) > MaxWindow {
			http.NotFound(w, r)
			return
		}
		if d := to.Sub(from); d > n.maxWindow {
			n.maxWindow = d
		}
	}
	var match []cve
	for _, c := range n.cves {
		if from.IsZero() || !c.modified.Before(from) && !c.modified.After(to) {
			match = append(match, c)
		}
	}
	type item = map[string]any
	var vulns []item
	for i := start; i < len(match) && i < start+per; i++ {
		c := match[i]
		vulns = append(vulns, item{"cve": item{"id": c.id, "lastModified": c.modified.Format("2006-01-02T15:04:05.000"),
			"metrics": item{"cvssMetricV31": []item{{"source": "nvd@nist.gov", "type": "Primary",
				"cvssData": item{"version": "3.1", "vectorString": c.v31, "baseScore": c.score}}}}}})
	}
	json.NewEncoder(w).Encode(item{"resultsPerPage": len(vulns), "startIndex": start, "totalResults": len(match),
		"format": "NVD_CVE", "version": "2.0", "vulnerabilities": vulns})
}

func setup(t *testing.T, cves []cve) (*Feed, *fakeNVD, *vulndb.DB, *[]time.Duration) {
	t.Helper()
	n := &fakeNVD{cves: cves, limited: map[int]int{}}
	srv := httptest.NewServer(n)
	t.Cleanup(srv.Close)
	c := fetch.New(nil)
	c.Logger = nil
	c.Backoff = 10 * time.Second
	var slept []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	f := New(c, srv.URL, "")
	f.PageSize = 2
	f.Now = func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	db, err := vulndb.Open(context.Background(), filepath.Join(t.TempDir(), vulndb.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return f, n, db, &slept
}

func someCVEs(n int, modified time.Time) []cve {
	var out []cve
	for i := range n {
		out = append(out, cve{id: fmt.Sprintf("CVE-2024-%04d", i+1), modified: modified,
			v31: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", score: 9.8})
	}
	return out
}

func TestFullSyncPagesAndBacksOff(t *testing.T) {
	ctx := context.Background()
	f, n, db, slept := setup(t, someCVEs(5, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	n.limited[2] = http.StatusForbidden // NVD's rate-limit answer
	n.limited[4] = http.StatusTooManyRequests
	res, err := f.Sync(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Result{Windows: 1, Pages: 3, CVEs: 5, Vectors: 5}, res); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// page 1; pause; 403, backoff, page 2; pause; 429, backoff, page 3
	want := []time.Duration{6 * time.Second, 10 * time.Second, 6 * time.Second, 10 * time.Second}
	if diff := cmp.Diff(want, *slept); diff != "" {
		t.Errorf("sleeps (-want +got)\n%s", diff)
	}
	got, err := db.CVSS(ctx, "CVE-2024-0005")
	score := 9.8
	if diff := cmp.Diff([]vulndb.CVSS{{Source: "nvd@nist.gov", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Score: &score}}, got); diff != "" || err != nil {
		t.Errorf("CVSS (-want +got) %v\n%s", err, diff)
	}
	st, _, _ := db.FeedState(ctx, Source, "")
	if st.Cursor != "2025-01-01T00:00:00Z" || st.LastError != "" {
		t.Errorf("state = %+v", st)
	}
	if q := n.requests[0].URL.Query(); q.Get("lastModStartDate") != "" || q.Get("resultsPerPage") != "2" {
		t.Errorf("first sync asked %v", q)
	}
}

func TestIncrementalWindows(t *testing.T) {
	ctx := context.Background()
	f, n, db, _ := setup(t, someCVEs(1, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	f.APIKey = "secret-key"
	if _, err := f.Sync(ctx, db); err != nil {
		t.Fatal(err)
	}
	// 300 days later, two CVEs changed: three windows of at most 120 days.
	n.cves = append(n.cves,
		cve{id: "CVE-2025-0001", modified: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), v31: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", score: 5.5},
		cve{id: "CVE-2025-0002", modified: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), v31: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", score: 5.5})
	f.Now = func() time.Time { return time.Date(2025, 10, 28, 0, 0, 0, 0, time.UTC) }
	res, err := f.Sync(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if res.Windows != 3 || res.CVEs != 2 {
		t.Errorf("result = %+v, want 3 windows, 2 CVEs", res)
	}
	if n.maxWindow > MaxWindow || n.maxWindow == 0 {
		t.Errorf("widest window asked: %s", n.maxWindow)
	}
	for _, r := range n.requests[1:] {
		if r.Header.Get("apiKey") != "secret-key" {
			t.Errorf("request without apiKey header: %s", r.URL)
		}
	}
	if c, _ := db.CVSS(ctx, "CVE-2025-0002"); len(c) != 1 {
		t.Errorf("CVSS(CVE-2025-0002) = %v", c)
	}
	st, _, _ := db.FeedState(ctx, Source, "")
	if st.Cursor != "2025-10-28T00:00:00Z" || st.Records != 3 {
		t.Errorf("state = %+v, want cursor 2025-10-28 and 3 CVEs", st)
	}
}

func TestMalformedPageKeepsOldData(t *testing.T) {
	ctx := context.Background()
	f, n, db, _ := setup(t, someCVEs(3, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	if _, err := f.Sync(ctx, db); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Counts(ctx)
	stBefore, _, _ := db.FeedState(ctx, Source, "")
	for _, body := range []string{`{"format":"NVD_CVE","totalResults":1,"vulnerabilities":[{"cve":{}}]}`, `<html>`, `{"format":"other"}`} {
		n.broken = body
		f.Now = func() time.Time { return time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC) }
		_, err := f.Sync(ctx, db)
		if err == nil || !strings.HasPrefix(err.Error(), "nvd: page at startIndex 0: malformed page") {
			t.Errorf("body %s: err = %v", body, err)
		}
		after, _ := db.Counts(ctx)
		st, _, _ := db.FeedState(ctx, Source, "")
		if before != after || st.Cursor != stBefore.Cursor || st.LastError == "" {
			t.Errorf("body %s: counts %+v → %+v, state %+v", body, before, after, st)
		}
	}
}

func FuzzParsePage(f *testing.F) {
	f.Add([]byte(`{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE","vulnerabilities":[{"cve":{"id":"CVE-1","metrics":{"cvssMetricV2":[{"source":"nvd@nist.gov","cvssData":{"version":"2.0","vectorString":"AV:N/AC:L/Au:N/C:P/I:P/A:P","baseScore":7.5}}]}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePage(data)
		if err != nil {
			return
		}
		for _, v := range p.Vulnerabilities {
			if v.CVE.ID == "" {
				t.Fatal("accepted a CVE without id")
			}
			v.CVE.Metrics.vectors()
		}
	})
}

func TestFullScanResumes(t *testing.T) {
	ctx := context.Background()
	f, n, db, _ := setup(t, someCVEs(5, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	f.CommitPages = 1
	f.Client.Retries = 1
	n.failAt = "4" // the third page
	if _, err := f.Sync(ctx, db); err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
		t.Fatalf("err = %v, want the third page's failure", err)
	}
	st, _, _ := db.FeedState(ctx, Source, "")
	if st.Cursor != "full@4@2025-01-01T00:00:00Z" || !st.LastSync.IsZero() || st.Records != 4 {
		t.Errorf("state after an interrupted scan = %+v", st)
	}

	n.failAt = ""
	f.Now = func() time.Time { return time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC) }
	before := len(n.requests)
	res, err := f.Sync(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 1 || n.requests[before].URL.Query().Get("startIndex") != "4" {
		t.Errorf("resumed with %d pages from startIndex %s, want 1 from 4", res.Pages, n.requests[before].URL.Query().Get("startIndex"))
	}
	st, _, _ = db.FeedState(ctx, Source, "")
	// Done: the cursor is when the scan began, so what changed since is asked next.
	if st.Cursor != "2025-01-01T00:00:00Z" || st.LastSync.IsZero() || st.Records != 5 {
		t.Errorf("state after the resumed scan = %+v", st)
	}
}
