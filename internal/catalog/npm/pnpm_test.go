package npm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
)

func TestParsePnpmLock(t *testing.T) {
	tests := []struct {
		file    string
		version int
		dev     string // the one dev package, when the lockfile records it
	}{
		{"testdata/pnpm-lock-v6.yaml", 6, "is-number"},
		{"testdata/pnpm-lock-v9.yaml", 9, ""},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			l, err := ParsePnpmLock([]byte(read(t, tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range l.Entries {
				s := e.Name + "@" + e.Version
				if e.Dev {
					s += " dev"
				}
				if !strings.HasPrefix(e.Integrity, "sha512-") {
					t.Errorf("%s: integrity %q", e.Name, e.Integrity)
				}
				got = append(got, s)
			}
			want := []string{"@types/node@20.11.5", "debug@4.3.4", "is-number@7.0.0", "left-pad@1.3.0", "ms@2.1.2", "undici-types@5.26.5"}
			for i, w := range want {
				if tc.dev != "" && strings.HasPrefix(w, tc.dev+"@") {
					want[i] += " dev"
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if l.Version != tc.version || l.Type != "pnpm" {
				t.Errorf("type %q version %d, want pnpm %d", l.Type, l.Version, tc.version)
			}
		})
	}
}

func TestPnpmKey(t *testing.T) {
	tests := map[string][2]string{
		"/left-pad/1.3.0":                     {"left-pad", "1.3.0"},
		"/@types/node/20.11.5":                {"@types/node", "20.11.5"},
		"/react-dom/18.2.0_react@18.2.0":      {"react-dom", "18.2.0"},
		"/@types/node@20.11.5":                {"@types/node", "20.11.5"},
		"/react-dom@18.2.0(react@18.2.0)":     {"react-dom", "18.2.0"},
		"debug@4.3.4":                         {"debug", "4.3.4"},
		"@scope/x@1.0.0(@types/node@20.11.5)": {"@scope/x", "1.0.0"},
		"nonsense":                            {"", ""},
	}
	for key, want := range tests {
		name, version := pnpmKey(key)
		if name != want[0] || version != want[1] {
			t.Errorf("pnpmKey(%q) = %q, %q; want %q, %q", key, name, version, want[0], want[1])
		}
	}
}

func TestCatalogPnpm(t *testing.T) {
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{
		imagetest.File("app/pnpm-lock.yaml", read(t, "testdata/pnpm-lock-v6.yaml")),
		imagetest.File("app/node_modules/debug/package.json", read(t, "testdata/node_modules/debug/package.json")),
		imagetest.File("srv/pnpm-lock.yaml", "just: text\n"),
	})
	var got []string
	for _, p := range s.Packages {
		s := p.Name + "@" + p.Version + " " + p.Locations[0].Path
		if p.Dev {
			s += " dev"
		}
		got = append(got, s)
	}
	want := []string{
		"@types/node@20.11.5 /app/pnpm-lock.yaml", "debug@4.3.4 /app/node_modules/debug/package.json",
		"is-number@7.0.0 /app/pnpm-lock.yaml dev", "left-pad@1.3.0 /app/pnpm-lock.yaml",
		"ms@2.1.2 /app/pnpm-lock.yaml", "undici-types@5.26.5 /app/pnpm-lock.yaml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != "/srv/pnpm-lock.yaml" {
		t.Errorf("warnings = %v, want one naming /srv/pnpm-lock.yaml", s.Warnings)
	}
}
