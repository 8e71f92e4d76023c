package match_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func testDB(t testing.TB) *vulndb.DB {
	t.Helper()
	db := emptyDB(t)
	res, err := db.ImportPath(context.Background(), "testdata/osv", nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Skipped > 0 {
		t.Fatalf("import skipped records: %+v", res.Stats)
	}
	return db
}

// emptyDB opens a new database, closed when the test ends.
func emptyDB(t testing.TB) *vulndb.DB {
	t.Helper()
	db, err := vulndb.Open(context.Background(), filepath.Join(t.TempDir(), "vuln.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func pkg(typ sbom.Type, name, version, path string, layer int, md sbom.Metadata) sbom.Package {
	p := sbom.Package{Type: typ, Name: name, Version: version, Locations: []sbom.Location{{Path: path, Layer: layer}}, IntroducedBy: layer, Metadata: md}
	p.ComputeID()
	return p
}

// summary renders findings as "package version: ID (aliases) fix".
func summary(res *match.Result) []string {
	var out []string
	for _, f := range res.Findings {
		s := f.Package.Name + " " + f.Package.Version + ": " + f.ID
		for _, a := range f.Aliases {
			s += " " + a
		}
		s += " [" + f.FixState
		if f.NearestFix != "" {
			s += " " + f.NearestFix
		}
		s += "]"
		if f.OSOwned {
			s += " os-owned"
		}
		out = append(out, s)
	}
	return out
}

func TestMatch(t *testing.T) {
	db := testDB(t)
	debian := &sbom.Distro{ID: "debian", VersionID: "12"}
	passwd := pkg(sbom.TypeDeb, "passwd", "1:4.13+dfsg1-1", "/var/lib/dpkg/status", 0, &sbom.DpkgMetadata{Source: "shadow"})
	fixedPasswd := pkg(sbom.TypeDeb, "login", "1:4.13+dfsg1-1+deb12u1", "/var/lib/dpkg/status", 0, &sbom.DpkgMetadata{Source: "shadow"})
	django := pkg(sbom.TypePython, "django", "1.1", "/usr/lib/python3/dist-packages/Django-1.1.dist-info/METADATA", 0, nil)
	debDjango := pkg(sbom.TypeDeb, "python3-django", "1.1-1", "/var/lib/dpkg/status", 0, &sbom.DpkgMetadata{Source: "python-django"})
	lodash := pkg(sbom.TypeNpm, "lodash", "4.17.4", "/app/node_modules/lodash/package.json", 2, nil)
	newLodash := pkg(sbom.TypeNpm, "lodash", "4.17.21", "/app/other/node_modules/lodash/package.json", 2, nil)
	doc := &sbom.SBOM{
		Distro:        debian,
		Packages:      []sbom.Package{passwd, fixedPasswd, django, debDjango, lodash, newLodash},
		Relationships: []sbom.Relationship{{From: debDjango.ID, To: django.ID, Type: sbom.Owns}},
	}
	t.Run("default", func(t *testing.T) {
		res := mustMatch(t, db, match.Options{}, doc)
		want := []string{
			// source package shadow, binary version with an epoch below the fix
			"passwd 1:4.13+dfsg1-1: CVE-2099-0001 DSA-9999-1 [fixed 1:4.13+dfsg1-1+deb12u1]",
			// one finding for CVE-2018-3721 from two advisories; the other CVE separately
			"lodash 4.17.4: CVE-2018-16487 NSWG-ECO-493 [fixed 4.17.11]",
			"lodash 4.17.4: CVE-2018-3721 GHSA-fvqr-27wr-82fm NSWG-ECO-368 [fixed 4.17.5]",
		}
		if diff := cmp.Diff(want, summary(res)); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		f := res.Findings[0]
		if f.Package.Path != "/var/lib/dpkg/status" || f.Evidence[0].Name != "shadow" || f.Ecosystem != "Debian:12" {
			t.Errorf("evidence = %+v in %s", f.Evidence, f.Ecosystem)
		}
		lf := res.Findings[2]
		if len(lf.Evidence) != 2 || lf.Package.Layer != 2 || len(lf.Severity) != 2 {
			t.Errorf("merged lodash finding = %+v", lf)
		}
	})
	t.Run("records stored before briefs existed", func(t *testing.T) {
		want, err := match.New(db, match.Options{}).Match(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("sqlite", db.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`DELETE FROM brief`); err != nil {
			t.Fatal(err)
		}
		got, err := match.New(db, match.Options{}).Match(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("findings from raw records differ (-briefs +raw):\n%s", diff)
		}
	})
	t.Run("match OS-owned language packages too", func(t *testing.T) {
		res := mustMatch(t, db, match.Options{MatchOSOwned: true}, doc)
		got := summary(res)
		want := "django 1.1: CVE-2009-3695 PYSEC-2009-4 [fixed 1.1.1] os-owned"
		found := false
		for _, s := range got {
			found = found || s == want
		}
		if !found {
			t.Errorf("findings %q lack %q", got, want)
		}
	})
}

func TestMatchAlpineOrigin(t *testing.T) {
	db := testDB(t)
	doc := &sbom.SBOM{
		Distro: &sbom.Distro{ID: "alpine", VersionID: "3.8.5"},
		Packages: []sbom.Package{
			pkg(sbom.TypeApk, "libcurl", "7.59.0-r0", "/lib/apk/db/installed", 0, &sbom.ApkMetadata{Origin: "curl"}),
			pkg(sbom.TypeApk, "curl", "7.60.0-r0", "/lib/apk/db/installed", 0, &sbom.ApkMetadata{Origin: "curl"}),
		},
	}
	res := mustMatch(t, db, match.Options{}, doc)
	want := []string{"libcurl 7.59.0-r0: CVE-2018-1000301 ALPINE-CVE-2018-1000301 [fixed 7.60.0-r0]"}
	if diff := cmp.Diff(want, summary(res)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestMatchUnknownDistroWarnsOnce(t *testing.T) {
	db := testDB(t)
	doc := &sbom.SBOM{
		Distro: &sbom.Distro{ID: "gentoo", VersionID: "2.14"},
		Packages: []sbom.Package{
			pkg(sbom.TypeDeb, "a", "1", "/x", 0, nil), pkg(sbom.TypeDeb, "b", "1", "/x", 0, nil),
			pkg(sbom.TypeNpm, "lodash", "4.17.4", "/n/package.json", 0, nil),
		},
	}
	res := mustMatch(t, db, match.Options{}, doc)
	want := []string{"distribution gentoo 2.14 is not covered by the vulnerability data; its 2 OS packages were not matched"}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if len(res.Findings) != 2 {
		t.Errorf("language packages still match: got %d findings, want 2", len(res.Findings))
	}
}

func TestOSEcosystem(t *testing.T) {
	for _, tc := range []struct {
		d    sbom.Distro
		want string
		ok   bool
	}{
		{sbom.Distro{ID: "debian", VersionID: "12"}, "Debian:12", true},
		{sbom.Distro{ID: "debian", Codename: "bookworm"}, "Debian:12", true},
		{sbom.Distro{ID: "ubuntu", VersionID: "22.04"}, "Ubuntu:22.04:LTS", true},
		{sbom.Distro{ID: "ubuntu", VersionID: "23.10"}, "Ubuntu:23.10", true},
		{sbom.Distro{ID: "alpine", VersionID: "3.19.1"}, "Alpine:v3.19", true},
		{sbom.Distro{ID: "rocky", VersionID: "9.3"}, "Rocky Linux:9", true},
		{sbom.Distro{ID: "wolfi", VersionID: "20230201"}, "Wolfi", true},
		{sbom.Distro{ID: "gentoo"}, "", false},
		{sbom.Distro{ID: "alpine"}, "", false},
	} {
		got, ok := match.OSEcosystem(&tc.d)
		if got != tc.want || ok != tc.ok {
			t.Errorf("OSEcosystem(%+v) = %q, %t; want %q, %t", tc.d, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUpstreamWithSeveralIDsDoesNotMerge(t *testing.T) {
	recs := map[string]string{
		"GHSA-aaaa.json": `{"id":"GHSA-aaaa","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-0001"],"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`,
		"GHSA-bbbb.json": `{"id":"GHSA-bbbb","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-0002"],"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`,
		"MULTI-1.json":   `{"id":"MULTI-1","modified":"2024-01-01T00:00:00Z","upstream":["CVE-2024-0001","CVE-2024-0002"],"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`,
	}
	db := recordsDB(t, recs)
	doc := &sbom.SBOM{Packages: []sbom.Package{pkg(sbom.TypeNpm, "x", "1.0.0", "/n/x/package.json", 0, nil)}}
	res := mustMatch(t, db, match.Options{}, doc)
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.ID)
	}
	if diff := cmp.Diff([]string{"CVE-2024-0001", "CVE-2024-0002", "MULTI-1"}, ids); diff != "" {
		t.Errorf("findings (-want +got): two CVEs must stay two findings\n%s", diff)
	}
}

// TestWontFix: a distribution entry marked no-dsa or "will not fix", with no
// fix, gives the wont-fix state; the same marks on a fixed entry, or on a
// language ecosystem's entry, do not.
func TestWontFix(t *testing.T) {
	deb := func(id, events, specific string) string {
		return `{"id":"` + id + `","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"zlib"},` +
			`"ranges":[{"type":"ECOSYSTEM","events":[` + events + `]}],"ecosystem_specific":` + specific + `}]}`
	}
	recs := map[string]string{
		"DEB-NODSA.json":  deb("DEB-NODSA", `{"introduced":"0"}`, `{"nodsa":"Minor issue","nodsa_reason":"ignored"}`),
		"DEB-STATUS.json": deb("DEB-STATUS", `{"introduced":"0"}`, `{"status":"Will not fix"}`),
		"DEB-OPEN.json":   deb("DEB-OPEN", `{"introduced":"0"}`, `{"urgency":"low"}`),
		"DEB-FIXED.json":  deb("DEB-FIXED", `{"introduced":"0"},{"fixed":"1:1.3-1"}`, `{"nodsa":"Minor issue"}`),
		"NPM-MARKED.json": `{"id":"NPM-MARKED","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}],"ecosystem_specific":{"status":"ignored"}}]}`,
	}
	db := recordsDB(t, recs)
	doc := &sbom.SBOM{Distro: &sbom.Distro{ID: "debian", VersionID: "12"}, Packages: []sbom.Package{
		pkg(sbom.TypeDeb, "zlib", "1:1.2.13.dfsg-1", "/var/lib/dpkg/status", 0, nil),
		pkg(sbom.TypeNpm, "x", "1.0.0", "/n/x/package.json", 1, nil),
	}}
	res := mustMatch(t, db, match.Options{}, doc)
	want := []string{
		"zlib 1:1.2.13.dfsg-1: DEB-FIXED [fixed 1:1.3-1]",
		"zlib 1:1.2.13.dfsg-1: DEB-NODSA [wont-fix]",
		"zlib 1:1.2.13.dfsg-1: DEB-OPEN [not-fixed]",
		"zlib 1:1.2.13.dfsg-1: DEB-STATUS [wont-fix]",
		"x 1.0.0: NPM-MARKED [not-fixed]",
	}
	if diff := cmp.Diff(want, summary(res)); diff != "" {
		t.Errorf("findings (-want +got)\n%s", diff)
	}
}

// TestMatchDeterministic: packages are matched on several goroutines; the
// findings and warnings must not depend on how many, or on their scheduling.
func TestMatchDeterministic(t *testing.T) {
	db := testDB(t)
	doc := copiesDoc(40, true)
	match1 := func(procs int) *match.Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		return mustMatch(t, db, match.Options{}, doc)
	}
	serial := match1(1)
	if len(serial.Findings) < 120 || len(serial.Warnings) < 40 {
		t.Fatalf("fixture too small to tell: %d findings, %d warnings", len(serial.Findings), len(serial.Warnings))
	}
	for range 5 {
		if diff := cmp.Diff(serial, match1(4)); diff != "" {
			t.Fatalf("4 workers differ from 1 (-serial +parallel):\n%s", diff)
		}
	}
}

// TestFindingOrder checks the documented order of findings when packages that
// agree in type, name, version and path differ only in layer (a file replaced
// by a later layer, seen with --scope all-layers): by vulnerability first, then
// by layer, as if all findings had been sorted together.
func TestFindingOrder(t *testing.T) {
	db := testDB(t)
	path := "/app/node_modules/lodash/package.json"
	doc := &sbom.SBOM{Packages: []sbom.Package{
		pkg(sbom.TypeNpm, "lodash", "4.17.4", path, 1, nil),
		pkg(sbom.TypeNpm, "lodash", "4.17.4", path, 0, nil),
	}}
	res := mustMatch(t, db, match.Options{}, doc)
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Package.Name+" "+f.ID+" layer "+string(rune('0'+f.Package.Layer)))
	}
	if len(got) < 4 {
		t.Fatalf("fixture too small to tell: %q", got)
	}
	want := slices.Clone(res.Findings)
	slices.SortStableFunc(want, func(a, b match.Finding) int {
		if c := strings.Compare(a.Package.Name, b.Package.Name); c != 0 {
			return c
		}
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return a.Package.Layer - b.Package.Layer
	})
	for i := range want {
		if w := want[i].Package.Name + " " + want[i].ID + " layer " + string(rune('0'+want[i].Package.Layer)); got[i] != w {
			t.Fatalf("finding %d is %q, want %q; all: %q", i, got[i], w, got)
		}
	}
}

// TestReferencesWithoutRepeats checks that a finding lists each reference URL
// once when its record lists one twice (as ADVISORY and as WEB).
func TestReferencesWithoutRepeats(t *testing.T) {
	db := recordsDB(t, map[string]string{"GHSA-dup.json": `{"id":"GHSA-dup","modified":"2024-01-01T00:00:00Z","references":[` +
		`{"type":"ADVISORY","url":"https://x/1"},{"type":"WEB","url":"https://x/1"},{"type":"WEB","url":"https://x/2"}],` +
		`"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`})
	doc := &sbom.SBOM{Packages: []sbom.Package{pkg(sbom.TypeNpm, "x", "1.0.0", "/n/x/package.json", 1, nil)}}
	res := mustMatch(t, db, match.Options{}, doc)
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %+v", res.Findings)
	}
	if got, want := res.Findings[0].References, []string{"https://x/1", "https://x/2"}; !slices.Equal(got, want) {
		t.Errorf("references %q, want %q", got, want)
	}
}

// recordsDB imports OSV records, by file name, into a new database.
func recordsDB(t *testing.T, recs map[string]string) *vulndb.DB {
	t.Helper()
	db := emptyDB(t)
	addRecords(t, db, recs)
	return db
}

// addRecords imports OSV records, by file name, into db in one import.
func addRecords(t *testing.T, db *vulndb.DB, recs map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range recs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := db.ImportPath(context.Background(), dir, nil, time.Now()); err != nil || res.Stats.Skipped > 0 || res.Stats.Added != len(recs) {
		t.Fatalf("import: %+v, %v", res, err)
	}
}

// failingStore fails every read of one package's entries and of briefs on
// demand, after the real database has served the rest.
type failingStore struct {
	*vulndb.DB
	name       string
	failBriefs bool
}

var errBroken = errors.New("disk on fire")

func (s failingStore) EachAffected(ctx context.Context, eco, name string, fn func(*vulndb.AffectedEntry) error) error {
	if name == s.name {
		return errBroken
	}
	return s.DB.EachAffected(ctx, eco, name, fn)
}

func (s failingStore) BriefsOf(ctx context.Context, refs []vulndb.RecordRef) (map[vulndb.RecordRef]*vulndb.Brief, error) {
	if s.failBriefs {
		return nil, errBroken
	}
	return s.DB.BriefsOf(ctx, refs)
}

// TestMatchStoreErrors checks that a failing read is Match's error, for the
// worker that read and for those that waited on the same query, and that a
// cancelled context stops it; no partial result is returned.
func TestMatchStoreErrors(t *testing.T) {
	db := testDB(t)
	doc := copiesDoc(30, false)
	ctx := context.Background()
	for _, store := range []failingStore{{DB: db, name: "lodash"}, {DB: db, name: "shadow"}, {DB: db, failBriefs: true}} {
		res, err := match.New(store, match.Options{}).Match(ctx, doc)
		if !errors.Is(err, errBroken) || res != nil {
			t.Errorf("store failing %+v: Match = %v, %v; want errBroken and no result", store.name, res, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if res, err := match.New(db, match.Options{}).Match(cancelled, doc); !errors.Is(err, context.Canceled) || res != nil {
		t.Errorf("cancelled: Match = %v, %v; want context.Canceled", res, err)
	}
}

// TestEvidenceOfEachRecord checks that each finding keeps its own entry's
// events and vectors: the store reuses one entry's arrays for the next, and
// the matcher copies what it keeps.
func TestEvidenceOfEachRecord(t *testing.T) {
	rec := func(id, events, vector string) string {
		return `{"id":"` + id + `","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"x"},` +
			`"severity":[{"type":"CVSS_V3","score":"` + vector + `"}],"ranges":[{"type":"SEMVER","events":[` + events + `]}]}]}`
	}
	const (
		vecA = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
		vecB = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"
		vecC = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L"
	)
	db := recordsDB(t, map[string]string{
		"GHSA-aaaa.json": rec("GHSA-aaaa", `{"introduced":"0"},{"fixed":"2.0.0"}`, vecA),
		"GHSA-bbbb.json": rec("GHSA-bbbb", `{"introduced":"0.5.0"},{"last_affected":"1.5.0"}`, vecB),
		"GHSA-cccc.json": rec("GHSA-cccc", `{"introduced":"1.0.0"},{"fixed":"1.2.0"},{"introduced":"3.0.0"},{"fixed":"3.1.0"}`, vecC),
	})
	doc := &sbom.SBOM{Packages: []sbom.Package{pkg(sbom.TypeNpm, "x", "1.0.0", "/n/x/package.json", 1, nil)}}
	res := mustMatch(t, db, match.Options{}, doc)
	ev := func(e ...vulndb.Event) []vulndb.Event { return e }
	want := map[string]struct {
		events []vulndb.Event
		vector string
	}{
		"GHSA-aaaa": {ev(vulndb.Event{Introduced: "0"}, vulndb.Event{Fixed: "2.0.0"}), vecA},
		"GHSA-bbbb": {ev(vulndb.Event{Introduced: "0.5.0"}, vulndb.Event{LastAffected: "1.5.0"}), vecB},
		"GHSA-cccc": {ev(vulndb.Event{Introduced: "1.0.0"}, vulndb.Event{Fixed: "1.2.0"}, vulndb.Event{Introduced: "3.0.0"}, vulndb.Event{Fixed: "3.1.0"}), vecC},
	}
	if len(res.Findings) != len(want) {
		t.Fatalf("%d findings, want %d: %v", len(res.Findings), len(want), summary(res))
	}
	for _, f := range res.Findings {
		w := want[f.ID]
		if len(f.Evidence) != 1 {
			t.Fatalf("%s: evidence %+v", f.ID, f.Evidence)
		}
		if diff := cmp.Diff(w.events, f.Evidence[0].Events); diff != "" {
			t.Errorf("%s: events (-want +got)\n%s", f.ID, diff)
		}
		if got := []vulndb.Severity{{Type: "CVSS_V3", Score: w.vector}}; !slices.Equal(f.Severity, got) {
			t.Errorf("%s: vectors %v, want %v", f.ID, f.Severity, got)
		}
	}
}

// TestMergedFindingInIDOrder checks that a finding merged from several
// records takes its summary, references and fixed versions from them in id
// order, whatever order the database stores them in: here the record with
// the larger id is stored first.
func TestMergedFindingInIDOrder(t *testing.T) {
	rec := func(id, aliases, summary, fixed string) string {
		return `{"id":"` + id + `","aliases":[` + aliases + `],"summary":"` + summary + `","modified":"2024-01-01T00:00:00Z",` +
			`"references":[{"type":"WEB","url":"https://x/` + id + `"}],` +
			`"affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"` + fixed + `"}]}]}]}`
	}
	db := inOrderDB(t, rec("GHSA-zzzz-zzzz-zzzz", `"CVE-2024-0001"`, "from the GHSA", "3.0.0"), rec("CVE-2024-0001", "", "from the CVE", "2.0.0"))
	doc := &sbom.SBOM{Packages: []sbom.Package{pkg(sbom.TypeNpm, "x", "1.0.0", "/n/x/package.json", 1, nil)}}
	res := mustMatch(t, db, match.Options{}, doc)
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %v", summary(res))
	}
	f := res.Findings[0]
	got := []string{f.Summary, strings.Join(f.References, " "), strings.Join(f.FixedVersions, " ")}
	want := []string{"from the CVE", "https://x/CVE-2024-0001 https://x/GHSA-zzzz-zzzz-zzzz", "2.0.0 3.0.0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestMergedFindingQueryOrder checks a finding merged across a binary
// package's two lookups (its source package's name, then its own): the
// source package's records come first, then each lookup's in id order.
func TestMergedFindingQueryOrder(t *testing.T) {
	rec := func(id, name, summary string) string {
		return `{"id":"` + id + `","aliases":["CVE-2024-0001"],"summary":"` + summary + `","modified":"2024-01-01T00:00:00Z",` +
			`"references":[{"type":"WEB","url":"https://x/` + id + `"}],` +
			`"affected":[{"package":{"ecosystem":"Debian:12","name":"` + name + `"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}`
	}
	db := recordsDB(t, map[string]string{
		"a2.json": rec("DEB-2", "foo", "from the source package"),
		"a1.json": rec("DEB-1", "libfoo1", "from the binary package"),
	})
	doc := &sbom.SBOM{Distro: &sbom.Distro{ID: "debian", VersionID: "12"}, Packages: []sbom.Package{
		pkg(sbom.TypeDeb, "libfoo1", "1.0-1", "/var/lib/dpkg/status", 0, &sbom.DpkgMetadata{Source: "foo"})}}
	res := mustMatch(t, db, match.Options{}, doc)
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %v", summary(res))
	}
	f := res.Findings[0]
	got := []string{f.Summary, strings.Join(f.References, " ")}
	want := []string{"from the source package", "https://x/DEB-2 https://x/DEB-1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestUnevaluatedRangeWarningsInIDOrder checks that the warnings for ranges
// that could not be evaluated come in id order, whatever the store's order:
// the record with the larger id is stored first, and one id is a prefix of
// the other.
func TestUnevaluatedRangeWarningsInIDOrder(t *testing.T) {
	rec := func(id string) string {
		return `{"id":"` + id + `","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"x"},` +
			`"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}`
	}
	db := inOrderDB(t, rec("CVE-2024-12345"), rec("CVE-2024-1234"))
	// 1.0.post1 is PEP 440 but not SemVer: the SEMVER ranges cannot be evaluated.
	doc := &sbom.SBOM{Packages: []sbom.Package{pkg(sbom.TypePython, "x", "1.0.post1", "/x/METADATA", 1, nil)}}
	res := mustMatch(t, db, match.Options{}, doc)
	var ids []string
	for _, w := range res.Warnings {
		ids = append(ids, strings.SplitN(w, ":", 2)[0])
	}
	if want := []string{"CVE-2024-1234", "CVE-2024-12345"}; !slices.Equal(ids, want) {
		t.Errorf("warnings %q: ids %q, want %q", res.Warnings, ids, want)
	}
}

// swappingStore stores another record in the row of the first record that
// matched, between the matcher's reads of entries and of briefs, as a
// concurrent update that deletes one record and stores another could.
type swappingStore struct{ *vulndb.DB }

func (s swappingStore) BriefsOf(ctx context.Context, refs []vulndb.RecordRef) (map[vulndb.RecordRef]*vulndb.Brief, error) {
	out, err := s.DB.BriefsOf(ctx, refs)
	for _, b := range out {
		other := *b
		other.ID = "OTHER-1"
		out[refs[0]] = &other
		break
	}
	return out, err
}

func TestBriefOfAnotherRecordIsAnError(t *testing.T) {
	db := testDB(t)
	doc := &sbom.SBOM{Packages: []sbom.Package{pkg(sbom.TypeNpm, "lodash", "4.17.4", "/app/node_modules/lodash/package.json", 0, nil)}}
	res, err := match.New(swappingStore{db}, match.Options{}).Match(context.Background(), doc)
	if err == nil || !strings.Contains(err.Error(), "OTHER-1") || res != nil {
		t.Errorf("Match = %v, %v; want an error naming the record now in the row", res, err)
	}
}

// inOrderDB stores the records in a new database one import at a time, in
// this order: each record's rowid is larger than the one before's.
func inOrderDB(t *testing.T, records ...string) *vulndb.DB {
	t.Helper()
	db := emptyDB(t)
	for _, r := range records {
		addRecords(t, db, map[string]string{"r.json": r})
	}
	return db
}

// mustMatch matches doc against s, failing the test on an error.
func mustMatch(t *testing.T, s match.Store, opts match.Options, doc *sbom.SBOM) *match.Result {
	t.Helper()
	res, err := match.New(s, opts).Match(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// copiesDoc is a Debian 12 SBOM of n copies of lodash 4.17.4 and of passwd
// (source shadow), each in its own directory, so that many packages ask the
// same queries; with bad, each copy also has a lodash whose version does not
// parse.
func copiesDoc(n int, bad bool) *sbom.SBOM {
	doc := &sbom.SBOM{Distro: &sbom.Distro{ID: "debian", VersionID: "12"}}
	for i := range n {
		dir := "/app" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		doc.Packages = append(doc.Packages,
			pkg(sbom.TypeNpm, "lodash", "4.17.4", dir+"/node_modules/lodash/package.json", i%3, nil),
			pkg(sbom.TypeDeb, "passwd", "1:4.13+dfsg1-1", "/var/lib/dpkg/status"+dir, 0, &sbom.DpkgMetadata{Source: "shadow"}))
		if bad {
			doc.Packages = append(doc.Packages, pkg(sbom.TypeNpm, "lodash", "not-a-version", dir+"/bad/lodash/package.json", i%3, nil))
		}
	}
	return doc
}
