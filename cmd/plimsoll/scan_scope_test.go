package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// scopeFixture writes an image whose vulnerable packages a later layer removed:
// (a) lodash 4.17.4 under /app, its directory whited out by layer 2; (b) passwd
// (source shadow), purged by layer 2, which rewrote the dpkg status file; (c)
// lodash 4.17.10 under /srv, its package.json replaced by 4.17.21 in layer 3. The
// final image has no known vulnerability.
func scopeFixture(t *testing.T) (ref, dbDir string) {
	t.Helper()
	const baseFiles = "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4+deb12u5\n\n"
	F, W := imagetest.File, imagetest.Whiteout
	img, err := imagetest.Image{
		Config: v1.Config{User: "app"},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
				F("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
				F("var/lib/dpkg/status", baseFiles+scanStatus),
			}},
			{CreatedBy: "COPY app /", Entries: []imagetest.Entry{
				F("app/node_modules/lodash/package.json", `{"name":"lodash","version":"4.17.4"}`),
				F("srv/node_modules/lodash/package.json", `{"name":"lodash","version":"4.17.10"}`),
			}},
			{CreatedBy: "RUN apt-get purge -y passwd && rm -rf /app/node_modules/lodash", Entries: []imagetest.Entry{
				F("var/lib/dpkg/status", baseFiles),
				W("app/node_modules/lodash"),
			}},
			{CreatedBy: "RUN cd /srv && npm install lodash@4.17.21", Entries: []imagetest.Entry{
				F("srv/node_modules/lodash/package.json", `{"name":"lodash","version":"4.17.21"}`),
			}},
		},
	}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return writeScanFixture(t, img)
}

type scopeJSON struct {
	Source   struct{ Scope string }
	Findings []struct {
		ID      string
		Package struct {
			Name, Version, Path string
			Layer, IntroducedBy int
		}
		Squashed  *bool
		RemovedBy int
	}
}

// brief renders each finding as "id name@version path layer=L removedBy=R squashed=S".
func (r scopeJSON) brief() []string {
	var out []string
	for _, f := range r.Findings {
		sq := "-"
		if f.Squashed != nil {
			sq = fmt.Sprint(*f.Squashed)
		}
		out = append(out, fmt.Sprintf("%s %s@%s %s layer=%d removedBy=%d squashed=%s",
			f.ID, f.Package.Name, f.Package.Version, f.Package.Path, f.Package.IntroducedBy, f.RemovedBy, sq))
	}
	return out
}

func scanScope(t *testing.T, args ...string) scopeJSON {
	t.Helper()
	out, stderr, code := run(t, append([]string{"scan", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("scan %v: exit %d: %s", args, code, stderr)
	}
	var rep scopeJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return rep
}

func TestScanScope(t *testing.T) {
	ref, dbDir := scopeFixture(t)

	if got := scanScope(t, ref, "--db-dir", dbDir).brief(); len(got) != 0 {
		t.Errorf("squashed scan of an image whose vulnerable packages were removed: %q", got)
	}
	if got := scanScope(t, ref, "--db-dir", dbDir, "--scope", "squashed").brief(); len(got) != 0 {
		t.Errorf("--scope squashed: %q", got)
	}

	rep := scanScope(t, ref, "--db-dir", dbDir, "--scope", "all-layers")
	want := []string{
		"CVE-2099-0001 passwd@1:4.13+dfsg1-1 /var/lib/dpkg/status layer=0 removedBy=2 squashed=false",
		"CVE-2018-16487 lodash@4.17.10 /srv/node_modules/lodash/package.json layer=1 removedBy=3 squashed=false",
		"CVE-2018-16487 lodash@4.17.4 /app/node_modules/lodash/package.json layer=1 removedBy=2 squashed=false",
		"CVE-2018-3721 lodash@4.17.4 /app/node_modules/lodash/package.json layer=1 removedBy=2 squashed=false",
	}
	if diff := cmp.Diff(want, rep.brief(), sortStrings); diff != "" {
		t.Errorf("all-layers findings (-want +got):\n%s", diff)
	}
	if rep.Source.Scope != "all-layers" {
		t.Errorf("source scope %q, want all-layers", rep.Source.Scope)
	}

	table, _, code := run(t, "scan", ref, "--db-dir", dbDir, "--scope", "all-layers")
	for _, s := range []string{"4 findings", "SQUASHED", "no (removed by layer 2)", "no (removed by layer 3)",
		"4 findings in packages that a later layer removed"} {
		if code != 0 || !strings.Contains(table, s) {
			t.Errorf("all-layers table (exit %d) lacks %q:\n%s", code, s, table)
		}
	}
	if table, _, _ := run(t, "scan", ref, "--db-dir", dbDir); strings.Contains(table, "SQUASHED") {
		t.Errorf("squashed table has the all-layers column:\n%s", table)
	}

	// The gate judges what the scope reports.
	if _, _, code := run(t, "scan", ref, "--db-dir", dbDir, "--fail-on", "medium"); code != 0 {
		t.Errorf("squashed --fail-on medium: exit %d, want 0", code)
	}
	if _, _, code := run(t, "scan", ref, "--db-dir", dbDir, "--fail-on", "medium", "--scope", "all-layers"); code != 1 {
		t.Errorf("all-layers --fail-on medium: exit %d, want 1", code)
	}
}

// TestSBOMScope: plimsoll sbom --scope all-layers writes the removed packages,
// marked, and scanning that SBOM finds what scan --scope all-layers finds.
func TestSBOMScope(t *testing.T) {
	ref, dbDir := scopeFixture(t)
	p := filepath.Join(t.TempDir(), "sbom.json")
	if _, stderr, code := run(t, "sbom", ref, "--scope", "all-layers", "-o", "json="+p); code != 0 {
		t.Fatalf("sbom: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source   struct{ Scope string }
		Packages []struct {
			Name, Version string
			Squashed      *bool
			RemovedBy     int
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range doc.Packages {
		if p.Squashed == nil {
			t.Fatalf("package %s has no squashed mark:\n%s", p.Name, b)
		}
		got = append(got, fmt.Sprintf("%s@%s squashed=%t removedBy=%d", p.Name, p.Version, *p.Squashed, p.RemovedBy))
	}
	want := []string{
		"base-files@12.4+deb12u5 squashed=true removedBy=0",
		"passwd@1:4.13+dfsg1-1 squashed=false removedBy=2",
		"lodash@4.17.10 squashed=false removedBy=3",
		"lodash@4.17.21 squashed=true removedBy=0",
		"lodash@4.17.4 squashed=false removedBy=2",
	}
	if diff := cmp.Diff(want, got, sortStrings); diff != "" || doc.Source.Scope != "all-layers" {
		t.Errorf("sbom --scope all-layers (scope %q) (-want +got):\n%s", doc.Source.Scope, diff)
	}
	if got := scanScope(t, "sbom:"+p, "--db-dir", dbDir).brief(); len(got) != 4 {
		t.Errorf("scan of the all-layers SBOM: %q, want the 4 findings of scan --scope all-layers", got)
	}

	squashed := filepath.Join(t.TempDir(), "squashed.json")
	if _, stderr, code := run(t, "sbom", ref, "-o", "json="+squashed); code != 0 {
		t.Fatalf("sbom: exit %d: %s", code, stderr)
	}
	out, _, code := run(t, "scan", "sbom:"+squashed, "--db-dir", dbDir, "--scope", "all-layers", "-o", "json")
	if code != 0 || !strings.Contains(out, "--scope all-layers does not apply to an SBOM") {
		t.Errorf("scan of a squashed SBOM with --scope all-layers (exit %d) does not warn:\n%s", code, out)
	}

	table, _, code := run(t, "sbom", ref, "--scope", "all-layers")
	for _, s := range []string{"SQUASHED", "no (removed by layer 3)", "5 packages, 3 of them removed by a later layer"} {
		if code != 0 || !strings.Contains(table, s) {
			t.Errorf("all-layers sbom table (exit %d) lacks %q:\n%s", code, s, table)
		}
	}
	table, _, code = run(t, "sbom", ref)
	if code != 0 || strings.Contains(table, "4.17.4") || strings.Contains(table, "passwd") {
		t.Errorf("squashed sbom table (exit %d) lists removed packages:\n%s", code, table)
	}
}

func TestScopeInvalid(t *testing.T) {
	for _, cmd := range []string{"scan", "sbom"} {
		_, stderr, code := run(t, cmd, "oci-dir:/nonexistent", "--scope", "everything")
		if code != 2 || !strings.Contains(stderr, `unknown scope "everything": use squashed or all-layers`) {
			t.Errorf("%s --scope everything: exit %d, stderr %q; want 2 and a message naming the scopes", cmd, code, stderr)
		}
	}
}

var sortStrings = cmp.Transformer("sort", func(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return out
})
