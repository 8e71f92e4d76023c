package php

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

func TestParseInstalled(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		err      string
	}{
		{"composer 2", read(t, "testdata/installed-v2.json"), []string{"monolog/monolog@3.5.0 [MIT]", "phpunit/phpunit@10.5.3 [BSD-3-Clause] dev", "psr/log@3.0.0 [MIT]", "symfony/console@v6.4.1 [MIT]"}, ""},
		{"composer 1", read(t, "testdata/installed-v1.json"), []string{"monolog/monolog@3.5.0 [MIT]", "psr/log@3.0.0 [MIT]"}, ""},
		{"string license, no version skipped", `[{"name":"a/b","version":"1.0","license":"GPL-2.0-or-later"},{"name":"c/d"}]`, []string{"a/b@1.0 [GPL-2.0-or-later]"}, ""},
		{"not json", "{", nil, "parse installed.json"},
		{"no packages", `{"dev": true}`, nil, "no packages"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pkgs, err := ParseInstalled([]byte(tc.in))
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
			for _, p := range pkgs {
				s := p.Name + "@" + p.Version + " [" + strings.Join(p.License, ",") + "]"
				if p.Dev {
					s += " dev"
				}
				got = append(got, s)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{
		imagetest.File("var/www/vendor/composer/installed.json", read(t, "testdata/installed-v2.json")),
		imagetest.File("var/www/other/vendor/composer/installed.json", "[{"),
	})
	const p = "/var/www/vendor/composer/installed.json"
	want := []catalogtest.Brief{
		{Name: "monolog/monolog", Version: "3.5.0", Type: sbom.TypeComposer, PURL: "pkg:composer/monolog/monolog@3.5.0", Path: p, Licenses: []string{"MIT"}},
		{Name: "phpunit/phpunit", Version: "10.5.3", Type: sbom.TypeComposer, PURL: "pkg:composer/phpunit/phpunit@10.5.3", Path: p, Licenses: []string{"BSD-3-Clause"}, Dev: true},
		{Name: "psr/log", Version: "3.0.0", Type: sbom.TypeComposer, PURL: "pkg:composer/psr/log@3.0.0", Path: p, Licenses: []string{"MIT"}},
		{Name: "symfony/console", Version: "v6.4.1", Type: sbom.TypeComposer, PURL: "pkg:composer/symfony/console@v6.4.1", Path: p, Licenses: []string{"MIT"}},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || !strings.HasPrefix(s.Warnings[0].Path, "/var/www/other/") {
		t.Errorf("warnings = %v, want one naming the broken installed.json", s.Warnings)
	}
}
