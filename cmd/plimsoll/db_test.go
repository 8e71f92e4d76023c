package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runDB runs plimsoll with args and returns its stdout and exit code.
func runDB(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	root := newRootCommand()
	root.SetOut(&out)
	root.SetErr(&bytes.Buffer{})
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		t.Logf("plimsoll %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), exitCode(err)
}

func TestDBCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PLIMSOLL_DB_DIR", filepath.Join(dir, "db"))
	fixtures := filepath.Join("..", "..", "internal", "vulndb", "testdata", "osv")

	if _, code := runDB(t, "db", "search", "CVE-2022-39974"); code != exitError {
		t.Errorf("search without a database: exit %d, want %d", code, exitError)
	}
	if _, code := runDB(t, "db", "status", "--max-age", "24h"); code != exitFail {
		t.Errorf("status of an empty db: exit %d, want %d", code, exitFail)
	}
	out, code := runDB(t, "db", "import", fixtures)
	if code != exitPass || !strings.Contains(out, "6 added") {
		t.Errorf("import: exit %d, output %q", code, out)
	}
	if _, code := runDB(t, "db", "status", "--max-age", "24h"); code != exitPass {
		t.Errorf("status of a fresh db: exit %d, want 0", code)
	}
	out, code = runDB(t, "db", "status", "-o", "json")
	var st dbStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != exitPass {
		t.Fatalf("status json: exit %d, %v", code, err)
	}
	if st.Counts.Advisories != 6 || len(st.Feeds) != 1 || st.Feeds[0].Records != 6 {
		t.Errorf("status = %+v", st)
	}

	tests := []struct {
		query string
		code  int
		ids   []string
	}{
		{"CVE-2022-39974", exitPass, []string{"PYSEC-2022-43058"}},
		{"pkg:pypi/PyWasm3@0.5.0", exitPass, []string{"PYSEC-2022-43058"}},
		{"npm/bower", exitPass, []string{"NSWG-ECO-487"}},
		{"Go/github.com/lib/pq", exitFail, nil}, // withdrawn: stored, never matched
		{"GHSA-0000-0000-0000", exitFail, nil},
		{"pkg:nonsense/x", exitError, nil},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			out, code := runDB(t, "db", "search", "-o", "json", tc.query)
			if code != tc.code {
				t.Fatalf("exit %d, want %d", code, tc.code)
			}
			var got []struct{ ID string }
			if out != "" {
				if err := json.Unmarshal([]byte(out), &got); err != nil {
					t.Fatalf("output %q: %v", out, err)
				}
			}
			var gotIDs []string
			for _, g := range got {
				gotIDs = append(gotIDs, g.ID)
			}
			if diff := cmp.Diff(tc.ids, gotIDs); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestDBBundleCommands(t *testing.T) {
	dir := t.TempDir()
	fixtures := filepath.Join("..", "..", "internal", "vulndb", "testdata", "osv")
	key := filepath.Join(dir, "k")
	bundle := filepath.Join(dir, "db.bundle")
	src, dst := "--db-dir="+filepath.Join(dir, "src"), "--db-dir="+filepath.Join(dir, "dst")
	steps := []struct {
		args []string
		code int
	}{
		{[]string{"db", "keygen", "--out", key}, exitPass},
		{[]string{"db", "import", src, fixtures}, exitPass},
		{[]string{"db", "export", src, "--out", bundle}, exitError}, // no key
		{[]string{"db", "export", src, "--out", bundle, "--key", key + ".key"}, exitPass},
		{[]string{"db", "import", dst, bundle}, exitError},                        // bundles need --key
		{[]string{"db", "import", dst, "--key", key + ".key", bundle}, exitError}, // a private key is not a public key
		{[]string{"db", "import", dst, "--key", key + ".pub", bundle}, exitPass},
		{[]string{"db", "search", dst, "npm/bower"}, exitPass},
	}
	for _, s := range steps {
		if _, code := runDB(t, s.args...); code != s.code {
			t.Fatalf("plimsoll %s: exit %d, want %d", strings.Join(s.args, " "), code, s.code)
		}
	}
}

func TestDBImportMalformedZip(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PLIMSOLL_DB_DIR", filepath.Join(dir, "db"))
	fixtures := filepath.Join("..", "..", "internal", "vulndb", "testdata", "osv")
	if _, code := runDB(t, "db", "import", fixtures); code != exitPass {
		t.Fatalf("import fixtures: exit %d", code)
	}
	bad := filepath.Join(dir, "bad.zip")
	// A zip whose central directory points at nothing.
	if err := os.WriteFile(bad, append([]byte("PK\x03\x04garbage"), "PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x2e\x00\x00\x00\x00\x00\x00\x00\x00\x00"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(dir, "missing")} {
		if _, code := runDB(t, "db", "import", path); code != exitError {
			t.Errorf("import %s: exit %d, want %d", path, code, exitError)
		}
	}
	out, _ := runDB(t, "db", "status", "-o", "json")
	var st dbStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Counts.Advisories != 6 {
		t.Errorf("after failed imports: %+v, %v; want the 6 advisories kept", st.Counts, err)
	}
}
