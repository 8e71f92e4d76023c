package npm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
)

func TestParseYarnLock(t *testing.T) {
	want := []string{"@types/node@20.11.5", "debug@4.3.4", "is-number@7.0.0", "left-pad@1.3.0", "ms@2.1.2", "undici-types@5.26.5"}
	tests := []struct {
		file, typ string
		version   int
		resolved  string // of debug
	}{
		{"testdata/yarn-v1.lock", "yarn", 1, "https://registry.yarnpkg.com/debug/-/debug-4.3.4.tgz#1319f6579357f2338d3337d2cdd4914bb5dcc865"},
		{"testdata/yarn-berry.lock", "yarn-berry", 8, "debug@npm:4.3.4"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			l, err := ParseYarnLock([]byte(read(t, tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range l.Entries {
				got = append(got, e.Name+"@"+e.Version)
				if e.Integrity == "" {
					t.Errorf("%s: no integrity/checksum", e.Name)
				}
				if e.Name == "debug" && e.Resolved != tc.resolved {
					t.Errorf("debug resolved %q, want %q", e.Resolved, tc.resolved)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if l.Type != tc.typ || l.Version != tc.version {
				t.Errorf("type %q version %d, want %q %d", l.Type, l.Version, tc.typ, tc.version)
			}
		})
	}
}

func TestParseYarnLockShapes(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		err      string
	}{
		{"several descriptors", "\"@a/b@^1\", \"@a/b@^1.2\":\n  version \"1.2.3\"\n", []string{"@a/b@1.2.3"}, ""},
		{"unquoted", "x@^2, x@~2.1:\n  version \"2.1.0\"\n", []string{"x@2.1.0"}, ""},
		{"berry link and patch", "\"w@link:./w\":\n  version: 0.0.0-use.local\n  linkType: soft\n\n\"r@patch:r@npm%3A1.0.0#~builtin<compat/r>\":\n  version: 1.0.0\n\n\"r@npm:1.0.0\":\n  version: 1.0.0\n", []string{"r@1.0.0"}, ""},
		{"no version", "x@^1:\n  resolved \"u\"\n", nil, ""},
		{"garbage key", "not a key\n", nil, "line 1: not a package key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseYarnLock([]byte(tc.in))
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
				got = append(got, e.Name+"@"+e.Version)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

// With yarn, installed packages come from node_modules and the lockfile adds only
// what is not installed.
func TestCatalogYarn(t *testing.T) {
	es := []imagetest.Entry{imagetest.File("app/yarn.lock", read(t, "testdata/yarn-berry.lock"))}
	for _, n := range []string{"debug", "ms"} {
		es = append(es, imagetest.File("app/node_modules/"+n+"/package.json", read(t, "testdata/node_modules/"+n+"/package.json")))
	}
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, es)
	var got []string
	for _, p := range s.Packages {
		got = append(got, p.Name+"@"+p.Version+" "+p.Locations[0].Path)
	}
	want := []string{
		"@types/node@20.11.5 /app/yarn.lock", "debug@4.3.4 /app/node_modules/debug/package.json",
		"is-number@7.0.0 /app/yarn.lock", "left-pad@1.3.0 /app/yarn.lock",
		"ms@2.1.2 /app/node_modules/ms/package.json", "undici-types@5.26.5 /app/yarn.lock",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}
