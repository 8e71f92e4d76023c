package ruby

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

func TestParseGemspec(t *testing.T) {
	tests := []struct {
		name, in string
		want     Spec
		err      bool
	}{
		{"rake", read(t, "testdata/rake-13.0.6.gemspec"), Spec{Name: "rake", Version: "13.0.6", Licenses: []string{"MIT"},
			Authors: []string{"Hiroshi SHIBATA", "Eric Hodel", "Jim Weirich"}, Homepage: "https://github.com/ruby/rake"}, false},
		{"rack", read(t, "testdata/rack-2.2.22.gemspec"), Spec{Name: "rack", Version: "2.2.22", Licenses: []string{"MIT"},
			Authors: []string{"Leah Neukirchen"}, Homepage: "https://github.com/rack/rack"}, false},
		{"other receiver, single quotes", "Gem::Specification.new do |spec|\n  spec.name = 'a-b'\n  spec.version = '1.0'\n  spec.license = 'Apache-2.0'\nend\n",
			Spec{Name: "a-b", Version: "1.0", Licenses: []string{"Apache-2.0"}}, false},
		{"stub only", "# stub: c 2.0 ruby lib\n", Spec{Name: "c", Version: "2.0"}, false},
		{"version from Gem::Version", "s.name = \"d\"\ns.version = Gem::Version.new(\"3.1\")\n", Spec{Name: "d", Version: "3.1"}, false},
		{"nothing", "puts 1\n", Spec{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseGemspec([]byte(tc.in))
			if (err != nil) != tc.err {
				t.Fatalf("error = %v, want error %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("spec (-want +got):\n%s", diff)
			}
		})
	}
	b, err := ParseGemspec([]byte(read(t, "testdata/default-bundler-2.3.7.gemspec")))
	if err != nil || b.Authors[0] != "André Arko" || b.Authors[4] != "David Rodríguez" {
		t.Errorf("bundler authors = %q, %v; want Ruby's \\u00E9 escapes decoded", b.Authors, err)
	}
}

func TestCatalog(t *testing.T) {
	const gems = "usr/lib/ruby/gems/3.1.0/specifications/"
	const debian = "usr/share/rubygems-integration/all/specifications/"
	s := catalogtest.Run(t, []catalog.Cataloger{New()},
		[]imagetest.Entry{
			imagetest.File(gems+"rake-13.0.6.gemspec", read(t, "testdata/rake-13.0.6.gemspec")),
			imagetest.File(gems+"default/bundler-2.3.7.gemspec", read(t, "testdata/default-bundler-2.3.7.gemspec")),
			imagetest.File(gems+"README.gemspec.txt", "not a spec"),
			imagetest.File("app/vendor/x.gemspec", "s.name = 'not-installed'\ns.version = '1'\n"),
		},
		[]imagetest.Entry{
			imagetest.File(debian+"rack-2.2.22.gemspec", read(t, "testdata/rack-2.2.22.gemspec")),
			imagetest.File(gems+"broken-1.gemspec", "Gem::Specification.new do |s|\nend\n"),
		},
	)
	want := []catalogtest.Brief{
		{Name: "bundler", Version: "2.3.7", Type: sbom.TypeGem, PURL: "pkg:gem/bundler@2.3.7", Path: "/" + gems + "default/bundler-2.3.7.gemspec", Licenses: []string{"MIT"}},
		{Name: "rack", Version: "2.2.22", Type: sbom.TypeGem, PURL: "pkg:gem/rack@2.2.22", Path: "/" + debian + "rack-2.2.22.gemspec", Layer: 1, IntroducedBy: 1, Licenses: []string{"MIT"}},
		{Name: "rake", Version: "13.0.6", Type: sbom.TypeGem, PURL: "pkg:gem/rake@13.0.6", Path: "/" + gems + "rake-13.0.6.gemspec", Licenses: []string{"MIT"}},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Path, "broken-1.gemspec") {
		t.Errorf("warnings = %v, want one naming broken-1.gemspec", s.Warnings)
	}
	if md := s.Packages[0].Metadata.(*sbom.GemMetadata); !md.Default {
		t.Errorf("bundler not marked as a default gem: %+v", md)
	}
}
