package kev

import (
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

func TestSync(t *testing.T) {
	ctx := context.Background()
	catalogue, err := os.ReadFile("testdata/known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	body := catalogue
	var conditional []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conditional = append(conditional, r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"c1"` && string(body) == string(catalogue) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"c1"`)
		w.Write(body)
	}))
	defer srv.Close()
	c := fetch.New(nil)
	c.Logger, c.Retries = nil, 0
	f := New(c, srv.URL)
	f.Now = func() time.Time { return time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC) }
	db, err := vulndb.Open(ctx, filepath.Join(t.TempDir(), vulndb.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	res, err := f.Sync(ctx, db)
	if diff := cmp.Diff(Result{Entries: 2, Skipped: 1}, res); diff != "" || err != nil {
		t.Fatalf("first sync (-want +got) %v\n%s", err, diff)
	}
	k, err := db.KEV(ctx, "CVE-2021-44228")
	want := vulndb.KEV{CVE: "CVE-2021-44228", Vendor: "Apache", Product: "Log4j2", Name: "Apache Log4j2 Remote Code Execution Vulnerability",
		DateAdded: "2021-12-10", DueDate: "2021-12-24", Ransomware: "Known"}
	if diff := cmp.Diff(want, k); diff != "" || err != nil {
		t.Errorf("KEV (-want +got) %v\n%s", err, diff)
	}
	res, err = f.Sync(ctx, db)
	if err != nil || !res.NotModified {
		t.Errorf("second sync = %+v, %v; want not modified", res, err)
	}
	if diff := cmp.Diff([]string{"", `"c1"`}, conditional); diff != "" {
		t.Errorf("If-None-Match (-want +got)\n%s", diff)
	}

	body = []byte(`{"title": "CISA Catalog", "vulnerabilities": [`) // truncated
	_, err = f.Sync(ctx, db)
	if err == nil || !strings.HasPrefix(err.Error(), "kev: malformed catalogue") {
		t.Errorf("truncated catalogue: err = %v", err)
	}
	if _, err := db.KEV(ctx, "CVE-2014-6271"); err != nil {
		t.Errorf("old catalogue lost after a failed sync: %v", err)
	}
	st, _, _ := db.FeedState(ctx, Source, "")
	if st.LastError == "" || st.Records != 2 || st.Skipped != 1 {
		t.Errorf("state = %+v", st)
	}
}

func TestParseRejects(t *testing.T) {
	for _, body := range []string{`[]`, `{}`, `{"count": 2, "vulnerabilities": [{"cveID": "CVE-1", "dateAdded": "2020-01-01"}]}`} {
		if _, _, err := Parse([]byte(body)); err == nil {
			t.Errorf("Parse(%s) succeeded", body)
		}
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile("testdata/known_exploited_vulnerabilities.json")
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, err := Parse(data)
		if err != nil {
			return
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.CVE, "CVE-") || e.DateAdded == "" {
				t.Fatalf("accepted %+v", e)
			}
		}
	})
}
