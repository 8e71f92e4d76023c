package python

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func TestParseLockfile(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"poetry.lock", []string{"certifi@2023.11.17", "charset-normalizer@3.3.2", "requests@2.31.0"}},
		{"poetry-1.1.lock", []string{"pytest@7.1.2 dev", "zope-interface@5.4.0"}},
		{"uv.lock", []string{"idna@3.6", "typing-extensions@4.9.0"}},
		{"Pipfile.lock", []string{"black@23.12.1 dev", "flask@3.0.0"}},
		{"requirements.txt", []string{"asgiref@3.7.2", "django@4.2.7", "sqlparse@0.4.4", "uvicorn@0.24.0.post1"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			name := tc.file
			if name == "poetry-1.1.lock" {
				name = "poetry.lock"
			}
			locked, err := ParseLockfile("/app/"+name, []byte(read(t, "testdata/"+tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range locked {
				s := l.Name + "@" + l.Version
				if l.Dev {
					s += " dev"
				}
				got = append(got, s)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("locked (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := ParseLockfile("/Pipfile.lock", []byte("{")); err == nil || !strings.Contains(err.Error(), "Pipfile.lock") {
		t.Errorf("broken Pipfile.lock: error %v", err)
	}
}

func TestIsLockfile(t *testing.T) {
	for p, want := range map[string]bool{
		"/app/poetry.lock": true, "/app/uv.lock": true, "/app/Pipfile.lock": true,
		"/app/requirements.txt": true, "/app/requirements-dev.txt": true, "/app/requirements/base.txt": false,
		"/usr/lib/python3/dist-packages/x/requirements.txt": false, "/app/Pipfile": false,
	} {
		if got := isLockfile(p); got != want {
			t.Errorf("isLockfile(%q) = %v, want %v", p, got, want)
		}
	}
}

// Installed distributions are reported from their METADATA; a lockfile adds only
// what is not installed.
func TestCatalogLockfiles(t *testing.T) {
	site := "usr/local/lib/python3.11/site-packages/"
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{
		imagetest.File("app/poetry.lock", read(t, "testdata/poetry.lock")),
		imagetest.File(site+"requests-2.31.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n"),
		imagetest.File("srv/Pipfile.lock", "{not json"),
	})
	var got []string
	for _, p := range s.Packages {
		got = append(got, p.Name+"@"+p.Version+" "+p.Locations[0].Path+" "+p.PURL)
	}
	want := []string{
		"certifi@2023.11.17 /app/poetry.lock pkg:pypi/certifi@2023.11.17",
		"charset-normalizer@3.3.2 /app/poetry.lock pkg:pypi/charset-normalizer@3.3.2",
		"requests@2.31.0 /" + site + "requests-2.31.0.dist-info/METADATA pkg:pypi/requests@2.31.0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != "/srv/Pipfile.lock" {
		t.Errorf("warnings = %v, want one naming /srv/Pipfile.lock", s.Warnings)
	}
	for _, p := range s.Packages {
		if p.Type != sbom.TypePython {
			t.Errorf("%s has type %s", p.Name, p.Type)
		}
	}
}
