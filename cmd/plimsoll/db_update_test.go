package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeFeeds serves an OSV bucket with one PyPI record, a KEV catalogue and an
// EPSS file, laid out as the real sources are.
func fakeFeeds(t *testing.T) *httptest.Server {
	t.Helper()
	rec, err := os.ReadFile(filepath.Join("..", "..", "internal", "vulndb", "testdata", "osv", "PYSEC-2022-43058.json"))
	if err != nil {
		t.Fatal(err)
	}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("PYSEC-2022-43058.json")
	w.Write(rec)
	zw.Close()
	var ebuf bytes.Buffer
	gw := gzip.NewWriter(&ebuf)
	gw.Write([]byte("#model_version:v2025.03.14,score_date:2025-06-01T00:00:00Z\ncve,epss,percentile\nCVE-2022-39974,0.00052,0.17\n"))
	gw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/osv/PyPI/all.zip":
			w.Write(zbuf.Bytes())
		case "/osv/PyPI/PYSEC-2022-43058.json":
			w.Write(rec)
		case "/osv/PyPI/modified_id.csv":
			w.Write([]byte("2023-08-17T03:22:33Z,PYSEC-2022-43058\n"))
		case "/kev.json":
			w.Write([]byte(`{"count":1,"vulnerabilities":[{"cveID":"CVE-2022-39974","dateAdded":"2024-01-01","dueDate":"2024-01-22","knownRansomwareCampaignUse":"Unknown"}]}`))
		case "/epss.csv.gz":
			w.Write(ebuf.Bytes())
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDBUpdate(t *testing.T) {
	srv := fakeFeeds(t)
	t.Setenv("PLIMSOLL_DB_DIR", t.TempDir())
	t.Setenv("PLIMSOLL_OSV_URL", srv.URL+"/osv")
	args := []string{"db", "update", "--source", "osv,kev,epss", "--ecosystem", "pypi",
		"--kev-url", srv.URL + "/kev.json", "--epss-url", srv.URL + "/epss.csv.gz"}
	out, code := runDB(t, args...)
	for _, want := range []string{"osv PyPI", "full load: 1 records, 1 added", "kev", "1 entries", "1 scores of 2025-06-01"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != exitPass {
		t.Fatalf("exit %d", code)
	}
	out, code = runDB(t, args...) // second run: incremental, nothing new
	if code != exitPass || !strings.Contains(out, "1 changed: 0 added, 0 replaced, 1 unchanged, 0 skipped") {
		t.Errorf("second update: exit %d\n%s", code, out)
	}
	out, _ = runDB(t, "db", "status")
	for _, want := range []string{"osv     PyPI", "kev", "epss", "2025-06-01", "1 KEV, 1 EPSS"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	// A source that fails: exit 2, its error in the status.
	_, code = runDB(t, "db", "update", "--source", "kev", "--kev-url", srv.URL+"/missing.json")
	if code != exitError {
		t.Errorf("failing update: exit %d, want %d", code, exitError)
	}
	out, _ = runDB(t, "db", "status")
	if !strings.Contains(out, "kev: GET "+srv.URL+"/missing.json: 404 Not Found") {
		t.Errorf("status does not show the kev error:\n%s", out)
	}
}
