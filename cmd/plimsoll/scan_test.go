package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
)

const scanStatus = `Package: passwd
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 2719
Maintainer: Shadow package maintainers <pkg-shadow-devel@lists.alioth.debian.org>
Architecture: amd64
Source: shadow
Version: 1:4.13+dfsg1-1
Description: change and administer password and group data

`

// writeScanFixture writes img as an OCI layout and a vulnerability database
// imported from internal/match's real OSV records, keeps a developer's own
// .plimsoll.yaml out, and returns the image reference and --db-dir.
func writeScanFixture(t *testing.T, img v1.Image) (ref, dbDir string) {
	t.Helper()
	dir := t.TempDir()
	layout := filepath.Join(dir, "layout")
	if err := imagetest.WriteOCILayout(layout, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	dbDir = filepath.Join(dir, "db")
	if _, stderr, code := run(t, "db", "import", "--db-dir", dbDir, filepath.Join("..", "..", "internal", "match", "testdata", "osv")); code != 0 {
		t.Fatalf("db import: exit %d: %s", code, stderr)
	}
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PLIMSOLL_CONFIG", empty)
	return "oci-dir:" + layout, dbDir
}

// scanFixture writes an image (Debian base with a vulnerable dpkg package, an
// application layer with a vulnerable npm package) and a vulnerability database
// imported from real OSV records, and returns the image reference and --db-dir.
func scanFixture(t *testing.T) (ref, dbDir string) {
	t.Helper()
	img, err := imagetest.Image{
		Config: v1.Config{User: "app"},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
				imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
				imagetest.File("var/lib/dpkg/status", scanStatus),
			}},
			{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{
				imagetest.File("app/package.json", `{"name":"app","version":"1.0.0","dependencies":{"lodash":"4.17.4"}}`),
				imagetest.File("app/node_modules/lodash/package.json", `{"name":"lodash","version":"4.17.4","license":"MIT"}`),
			}},
		},
	}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return writeScanFixture(t, img)
}

type scanJSON struct {
	Findings []struct {
		ID       string
		Aliases  []string
		Severity string
		FixState string
		Package  struct {
			Name         string
			IntroducedBy int
		}
	}
	Ignored []struct {
		ID        string
		IgnoredBy struct{ Reason string }
	}
	Summary map[string]int
	Failed  bool
}

func findingIDs(r scanJSON) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Package.Name+":"+f.ID)
	}
	return out
}

func TestScan(t *testing.T) {
	ref, dbDir := scanFixture(t)
	out, stderr, code := run(t, "scan", ref, "--db-dir", dbDir, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep scanJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := []string{"passwd:CVE-2099-0001", "lodash:CVE-2018-16487", "lodash:CVE-2018-3721"}
	if diff := cmp.Diff(want, findingIDs(rep)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range rep.Findings {
		if f.Package.Name == "lodash" && f.Package.IntroducedBy != 1 {
			t.Errorf("lodash introduced by layer %d, want 1", f.Package.IntroducedBy)
		}
		if f.ID == "CVE-2018-3721" && f.Severity != "medium" {
			t.Errorf("CVE-2018-3721 severity %q, want medium (CVSS 3.1 6.5)", f.Severity)
		}
	}

	table, _, code := run(t, "scan", ref, "--db-dir", dbDir, "--by-layer")
	if code != 0 || !strings.Contains(table, "3 findings") || !strings.Contains(table, "LAYER 1  COPY app /app") {
		t.Errorf("table (exit %d):\n%s", code, table)
	}
}

func TestScanFailOnAndIgnore(t *testing.T) {
	ref, dbDir := scanFixture(t)
	if _, _, code := run(t, "scan", ref, "--db-dir", dbDir, "--fail-on", "high"); code != 0 {
		t.Errorf("--fail-on high: exit %d, want 0 (no high finding)", code)
	}
	if _, _, code := run(t, "scan", ref, "--db-dir", dbDir, "--fail-on", "medium"); code != 1 {
		t.Errorf("--fail-on medium: exit %d, want 1", code)
	}
	rules := filepath.Join(t.TempDir(), "ignore.yaml")
	if err := os.WriteFile(rules, []byte(`ignore:
  - id: GHSA-fvqr-27wr-82fm
    reason: prototype pollution not reachable
  - id: CVE-2018-16487
    package: {purl: pkg:npm/lodash}
    reason: same
  - package: {name: passwd}
    reason: old rule
    expires: 2020-01-01
`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "scan", ref, "--db-dir", dbDir, "--fail-on", "medium", "--ignore-file", rules, "-o", "json")
	if code != 0 {
		t.Fatalf("with the finding ignored: exit %d, want 0: %s", code, stderr)
	}
	var rep scanJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Ignored) != 2 || rep.Ignored[1].ID != "CVE-2018-3721" || rep.Ignored[1].IgnoredBy.Reason == "" {
		t.Errorf("ignored = %+v", rep.Ignored)
	}
	if diff := cmp.Diff([]string{"passwd:CVE-2099-0001"}, findingIDs(rep)); diff != "" {
		t.Errorf("findings (-want +got), the expired rule must not apply:\n%s", diff)
	}
	if !strings.Contains(stderr, "expired on 2020-01-01") {
		t.Errorf("stderr does not report the expired rule: %s", stderr)
	}
}

func TestScanSBOMAndErrors(t *testing.T) {
	ref, dbDir := scanFixture(t)
	sbomFile := filepath.Join(t.TempDir(), "sbom.json")
	if _, stderr, code := run(t, "sbom", ref, "-o", "json="+sbomFile); code != 0 {
		t.Fatalf("sbom: exit %d: %s", code, stderr)
	}
	out, stderr, code := run(t, "scan", "sbom:"+sbomFile, "--db-dir", dbDir, "--only-fixed", "-o", "json")
	if code != 0 {
		t.Fatalf("scan sbom: exit %d: %s", code, stderr)
	}
	var rep scanJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 3 {
		t.Errorf("scan of the SBOM found %v, want the image's 3 findings", findingIDs(rep))
	}
	for _, format := range []string{"cyclonedx-json", "spdx-json"} {
		p := filepath.Join(t.TempDir(), format+".json")
		if _, stderr, code := run(t, "sbom", ref, "-o", format+"="+p); code != 0 {
			t.Fatalf("sbom -o %s: exit %d: %s", format, code, stderr)
		}
		out, stderr, code := run(t, "scan", "sbom:"+p, "--db-dir", dbDir, "-o", "json")
		var got scanJSON
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("scan sbom:%s: exit %d: %s", format, code, stderr)
		}
		if diff := cmp.Diff(findingIDs(rep), findingIDs(got)); diff != "" {
			t.Errorf("scan of the %s SBOM (-native +%s):\n%s", format, format, diff)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no database", []string{"scan", ref, "--db-dir", t.TempDir()}, "plimsoll db update"},
		{"bad fail-on", []string{"scan", ref, "--db-dir", dbDir, "--fail-on", "severe"}, "--fail-on"},
		{"missing sbom", []string{"scan", "sbom:/nonexistent.json", "--db-dir", dbDir}, "no such file"},
		{"missing ignore file", []string{"scan", ref, "--db-dir", dbDir, "--ignore-file", "/nonexistent.yaml"}, "--ignore-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 mentioning %q", code, stderr, tc.want)
			}
		})
	}
}

func TestScanReportFormats(t *testing.T) {
	ref, dbDir := scanFixture(t)
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "t.tmpl")
	if err := os.WriteFile(tmpl, []byte("{{len .Findings}} findings\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sarif, junit, cdxFile := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.xml"), filepath.Join(dir, "out.cdx.json")
	out, stderr, code := run(t, "scan", ref, "--db-dir", dbDir, "-o", "sarif="+sarif, "-o", "junit="+junit, "-o", "cyclonedx-json="+cdxFile, "-o", "template", "--template", tmpl)
	if code != 0 || out != "3 findings\n" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, stderr)
	}
	for _, p := range []string{sarif, junit, cdxFile} {
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), "CVE-2018-3721") {
			t.Errorf("%s: %v\n%s", p, err, b)
		}
	}
	if _, stderr, code := run(t, "scan", ref, "--db-dir", dbDir, "-o", "template"); code != 2 || !strings.Contains(stderr, "--template") {
		t.Errorf("-o template without --template: exit %d: %s", code, stderr)
	}
}

func TestScanVEX(t *testing.T) {
	ref, dbDir := scanFixture(t)
	doc := filepath.Join(t.TempDir(), "app.openvex.json")
	if err := os.WriteFile(doc, []byte(`{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
  {"vulnerability": {"name": "GHSA-fvqr-27wr-82fm"}, "products": [{"@id": "pkg:npm/lodash@4.17.4"}],
   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
  {"vulnerability": "CVE-2018-16487", "products": ["pkg:npm/lodash"], "status": "affected"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "scan", ref, "--db-dir", dbDir, "--vex", doc, "--show-suppressed")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"2 findings", "1 suppressed by VEX", "SUPPRESSED BY VEX (1)", "vulnerable_code_not_in_execute_path"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"x":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "scan", ref, "--db-dir", dbDir, "--vex", bad); code != 2 || !strings.Contains(stderr, bad) {
		t.Errorf("bad VEX: exit %d: %s", code, stderr)
	}
}
