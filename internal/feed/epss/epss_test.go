package epss

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestParse(t *testing.T) {
	csvData, err := os.ReadFile("testdata/epss_scores.csv")
	if err != nil {
		t.Fatal(err)
	}
	scores, date, err := Parse(gz(t, csvData))
	if err != nil {
		t.Fatal(err)
	}
	if date != "2025-06-01" || len(scores) != 3 {
		t.Fatalf("Parse = %d scores of %q", len(scores), date)
	}
	if diff := cmp.Diff(vulndb.EPSS{CVE: "CVE-2014-6271", Score: 0.94358, Percentile: 0.99967, Date: "2025-06-01"}, scores[1]); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	tests := []struct{ name, body, want string }{
		{"not gzip", "", "malformed gzip"},
		{"bad header", "a,b,c\n", `malformed csv: header "a,b,c"`},
		{"bad score", "cve,epss,percentile\nCVE-1,2.5,0.1\n", `malformed csv line 2: epss "2.5" is not a probability`},
		{"short line", "cve,epss,percentile\nCVE-1,0.5\n", "malformed csv: record on line 2: wrong number of fields"},
		{"not a cve", "cve,epss,percentile\nGHSA-1,0.5,0.5\n", `malformed csv line 2: "GHSA-1" is not a CVE id`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := gz(t, []byte(tc.body))
			if tc.name == "not gzip" {
				data = []byte("plain")
			}
			_, _, err := Parse(data)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to start %q", err, tc.want)
			}
		})
	}
}

func TestSyncKeepsOldScoresOnError(t *testing.T) {
	ctx := context.Background()
	csvData, _ := os.ReadFile("testdata/epss_scores.csv")
	body := gz(t, csvData)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	c := fetch.New(nil)
	c.Logger, c.Retries = nil, 0
	f := New(c, srv.URL)
	f.Now = func() time.Time { return time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC) }
	db, err := vulndb.Open(ctx, filepath.Join(t.TempDir(), vulndb.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := f.Sync(ctx, db)
	if err != nil || res.Scores != 3 || res.Date != "2025-06-01" {
		t.Fatalf("Sync = %+v, %v", res, err)
	}
	body = gz(t, []byte("cve,epss,percentile\nCVE-1,x,y\n"))
	if _, err := f.Sync(ctx, db); err == nil || !strings.HasPrefix(err.Error(), "epss: malformed csv line 2") {
		t.Errorf("err = %v", err)
	}
	e, err := db.EPSS(ctx, "CVE-2021-44228")
	if err != nil || e.Score != 0.94358 {
		t.Errorf("old scores lost: %+v, %v", e, err)
	}
	st, _, _ := db.FeedState(ctx, Source, "")
	if st.Cursor != "2025-06-01" || st.LastError == "" {
		t.Errorf("state = %+v", st)
	}
}

func FuzzParse(f *testing.F) {
	csvData, _ := os.ReadFile("testdata/epss_scores.csv")
	f.Add(csvData)
	f.Fuzz(func(t *testing.T, data []byte) {
		scores, _, err := Parse(gz(t, data))
		if err != nil {
			return
		}
		for _, s := range scores {
			if s.Score < 0 || s.Score > 1 || s.Percentile < 0 || s.Percentile > 1 {
				t.Fatalf("accepted %+v", s)
			}
		}
	})
}
