package npm

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var installedNames = []string{"@types/node", "debug", "is-number", "left-pad", "ms", "undici-types"}

func TestParseLock(t *testing.T) {
	want := []string{
		"node_modules/@types/node=@types/node@20.11.5",
		"node_modules/debug=debug@4.3.4",
		"node_modules/is-number=is-number@7.0.0 dev",
		"node_modules/left-pad=left-pad@1.3.0",
		"node_modules/ms=ms@2.1.2",
		"node_modules/undici-types=undici-types@5.26.5",
	}
	for _, v := range []string{"1", "2", "3"} {
		t.Run("v"+v, func(t *testing.T) {
			l, err := ParseLock([]byte(read(t, "testdata/package-lock-v"+v+".json")))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range l.Entries {
				s := e.Path + "=" + e.Name + "@" + e.Version
				if e.Dev {
					s += " dev"
				}
				if e.Integrity == "" {
					s += " no-integrity"
				}
				got = append(got, s)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if l.Version != int(v[0]-'0') {
				t.Errorf("lockfile version %d, want %s", l.Version, v)
			}
		})
	}
}

func TestParseLockShapes(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		err      string
	}{
		{"not json", "{", nil, "parse package-lock.json"},
		{"neither form", `{"name": "x"}`, nil, "no packages or dependencies"},
		{"v1 nested", `{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0","dev":true}}},"local":{"version":"file:../x"}}}`,
			[]string{"node_modules/a=a@1.0.0", "node_modules/a/node_modules/b=b@2.0.0"}, ""},
		{"v3 link and scoped nested", `{"lockfileVersion":3,"packages":{"":{"name":"root"},"node_modules/w":{"resolved":"packages/w","link":true},"packages/w":{"version":"0.1.0"},"node_modules/a/node_modules/@s/b":{"version":"3.0.0","devOptional":true}}}`,
			[]string{"node_modules/a/node_modules/@s/b=@s/b@3.0.0"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseLock([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range l.Entries {
				got = append(got, e.Path+"="+e.Name+"@"+e.Version)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseManifest(t *testing.T) {
	tests := []struct {
		name, in string
		want     Manifest
		err      bool
	}{
		{"real", read(t, "testdata/node_modules/debug/package.json"),
			Manifest{Name: "debug", Version: "4.3.4", Licenses: []string{"MIT"}, Author: "Josh Junon <josh.junon@protonmail.com>"}, false},
		{"legacy license object", `{"name":"a","version":"1","license":{"type":"BSD"},"author":{"name":"Ann"}}`,
			Manifest{Name: "a", Version: "1", Licenses: []string{"BSD"}, Author: "Ann"}, false},
		{"legacy licenses list", `{"name":"a","version":"1","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}],"private":true}`,
			Manifest{Name: "a", Version: "1", Licenses: []string{"MIT", "Apache-2.0"}, Private: true}, false},
		{"odd shapes ignored", `{"name":"a","version":"1","license":42,"author":[],"homepage":{},"private":"yes"}`,
			Manifest{Name: "a", Version: "1"}, false},
		{"not an object", `[1,2]`, Manifest{}, true},
		{"not json", `name: a`, Manifest{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseManifest([]byte(tc.in))
			if (err != nil) != tc.err {
				t.Fatalf("error = %v, want error %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("manifest (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsInstalledManifest(t *testing.T) {
	tests := map[string]bool{
		"/app/node_modules/a/package.json":                   true,
		"/app/node_modules/@s/a/package.json":                true,
		"/app/node_modules/a/node_modules/b/package.json":    true,
		"/app/node_modules/a/lib/package.json":               false,
		"/app/package.json":                                  false,
		"/app/node_modules/.bin/package.json":                false,
		"/app/node_modules/@s/package.json":                  true, // a package named @s is odd but legal
		"/usr/lib/node_modules/npm/package.json":             true,
		"/app/node_modules/a/package.json.bak":               false,
		"/app/node_modules/@s/a/node_modules/b/package.json": true,
		"/usr/share/nodejs/debug/package.json":               true,
		"/usr/share/nodejs/@types/node/package.json":         true,
		"/usr/lib/nodejs/undici/package.json":                true,
		"/usr/share/nodejs/debug/src/package.json":           false,
		"/srv/nodejs/debug/package.json":                     false,
	}
	for p, want := range tests {
		if got := isInstalledManifest(p); got != want {
			t.Errorf("isInstalledManifest(%q) = %v, want %v", p, got, want)
		}
	}
}

func appEntries(t *testing.T, lockVersion string) []imagetest.Entry {
	es := []imagetest.Entry{
		imagetest.File("app/package.json", read(t, "testdata/package.json")),
		imagetest.File("app/package-lock.json", read(t, "testdata/package-lock-v"+lockVersion+".json")),
	}
	for _, n := range installedNames {
		es = append(es, imagetest.File("app/node_modules/"+n+"/package.json", read(t, "testdata/node_modules/"+n+"/package.json")))
	}
	return es
}

func TestCatalogInstalled(t *testing.T) {
	cs := []catalog.Cataloger{New()}
	s := catalogtest.Run(t, cs,
		appEntries(t, "3"),
		[]imagetest.Entry{ // npm prune --omit=dev, and a broken package
			imagetest.Whiteout("app/node_modules/is-number"),
			imagetest.File("app/node_modules/broken/package.json", "{not json"),
			imagetest.File("app/node_modules/debug/package.json", read(t, "testdata/node_modules/debug/package.json")+"\n"),
		},
	)
	nm := "/app/node_modules/"
	want := []catalogtest.Brief{
		{Name: "@types/node", Version: "20.11.5", Type: sbom.TypeNpm, PURL: "pkg:npm/%40types/node@20.11.5", Path: nm + "@types/node/package.json", Licenses: []string{"MIT"}},
		{Name: "debug", Version: "4.3.4", Type: sbom.TypeNpm, PURL: "pkg:npm/debug@4.3.4", Path: nm + "debug/package.json", Layer: 1, IntroducedBy: 0, Licenses: []string{"MIT"}},
		// is-number is gone from node_modules but the lockfile still pins it.
		{Name: "is-number", Version: "7.0.0", Type: sbom.TypeNpm, PURL: "pkg:npm/is-number@7.0.0", Path: "/app/package-lock.json", Licenses: []string{"MIT"}, Dev: true},
		{Name: "left-pad", Version: "1.3.0", Type: sbom.TypeNpm, PURL: "pkg:npm/left-pad@1.3.0", Path: nm + "left-pad/package.json", Licenses: []string{"WTFPL"}},
		{Name: "ms", Version: "2.1.2", Type: sbom.TypeNpm, PURL: "pkg:npm/ms@2.1.2", Path: nm + "ms/package.json", Licenses: []string{"MIT"}},
		{Name: "undici-types", Version: "5.26.5", Type: sbom.TypeNpm, PURL: "pkg:npm/undici-types@5.26.5", Path: nm + "undici-types/package.json", Licenses: []string{"MIT"}},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != nm+"broken/package.json" {
		t.Errorf("warnings = %v, want one naming the broken package.json", s.Warnings)
	}
}

// Without node_modules, the lockfile is the evidence, whatever its version.
func TestCatalogLockOnly(t *testing.T) {
	for _, v := range []string{"1", "2", "3"} {
		t.Run("v"+v, func(t *testing.T) {
			s := catalogtest.Run(t, []catalog.Cataloger{New()}, appEntries(t, v)[:2])
			var got []string
			for _, p := range s.Packages {
				s := p.Name + "@" + p.Version + " " + p.Locations[0].Path
				if p.Dev {
					s += " dev"
				}
				got = append(got, s)
			}
			want := []string{
				"@types/node@20.11.5 /app/package-lock.json", "debug@4.3.4 /app/package-lock.json",
				"is-number@7.0.0 /app/package-lock.json dev", "left-pad@1.3.0 /app/package-lock.json",
				"ms@2.1.2 /app/package-lock.json", "undici-types@5.26.5 /app/package-lock.json",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}
