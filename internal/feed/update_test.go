package feed

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func TestListIsComplete(t *testing.T) {
	if diff := cmp.Diff([]string{"osv", "nvd", "kev", "epss"}, List()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	seen := map[string]bool{}
	for _, n := range List() {
		if seen[n] {
			t.Errorf("source %q listed twice", n)
		}
		seen[n] = true
	}
}

func TestUpdateGoesOnPastAFailingSource(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/kev.json":
			w.Write([]byte(`{"count":1,"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10"}]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	db, err := vulndb.Open(ctx, filepath.Join(t.TempDir(), vulndb.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := fetch.New(nil)
	c.Logger, c.Retries = nil, 0
	var got []string
	err = Update(ctx, db, []string{"osv", "kev"}, Config{Client: c, OSVBase: srv.URL, KEVURL: srv.URL + "/kev.json", Ecosystems: []string{"pypi"}},
		func(o Outcome) { got = append(got, o.Source+"/"+o.Ecosystem+" "+o.Summary) })
	if err == nil || !strings.Contains(err.Error(), "osv PyPI: ") {
		t.Errorf("err = %v, want the osv failure", err)
	}
	want := []string{"osv/PyPI full load: 0 records, 0 added, 0 replaced, 0 deleted, 0 skipped", "kev/ 1 entries, 0 skipped"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if _, err := db.KEV(ctx, "CVE-2021-44228"); err != nil {
		t.Errorf("kev not synced after osv failed: %v", err)
	}
	if err := Update(ctx, db, []string{"nope"}, Config{}, func(Outcome) {}); err == nil {
		t.Error("unknown source accepted")
	}
}
