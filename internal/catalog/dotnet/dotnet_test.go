package dotnet

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

func TestParseDeps(t *testing.T) {
	b, err := os.ReadFile("testdata/app.deps.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in string
		want     []string
		target   string
		err      string
	}{
		{"published app", string(b), []string{"Newtonsoft.Json@13.0.3 newtonsoft.json/13.0.3", "Serilog@3.1.1 serilog/3.1.1"}, ".NETCoreApp,Version=v8.0", ""},
		{"not json", "{", nil, "", "parse deps.json"},
		{"no libraries", `{"targets":{}}`, nil, "", "no libraries"},
		{"bad key", `{"libraries":{"noversion":{"type":"package"}}}`, nil, "", `"noversion" is not NAME/VERSION`},
		{"reference assemblies skipped", `{"libraries":{"System.Runtime/4.0.0.0":{"type":"referenceassembly"}}}`, nil, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			libs, target, err := ParseDeps([]byte(tc.in))
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
			for _, l := range libs {
				got = append(got, l.Name+"@"+l.Version+" "+l.Path)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("libraries (-want +got):\n%s", diff)
			}
			if target != tc.target {
				t.Errorf("target %q, want %q", target, tc.target)
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	b, err := os.ReadFile("testdata/app.deps.json")
	if err != nil {
		t.Fatal(err)
	}
	s := catalogtest.Run(t, []catalog.Cataloger{New()},
		[]imagetest.Entry{imagetest.File("app/app.deps.json", string(b))},
		[]imagetest.Entry{ // a rebuild that bumps Serilog
			imagetest.File("app/app.deps.json", strings.ReplaceAll(string(b), "Serilog/3.1.1", "Serilog/3.1.2")),
			imagetest.File("app/other.deps.json", "not json"),
		},
	)
	want := []catalogtest.Brief{
		{Name: "Newtonsoft.Json", Version: "13.0.3", Type: sbom.TypeDotnet, PURL: "pkg:nuget/Newtonsoft.Json@13.0.3", Path: "/app/app.deps.json", Layer: 1, IntroducedBy: 0},
		{Name: "Serilog", Version: "3.1.2", Type: sbom.TypeDotnet, PURL: "pkg:nuget/Serilog@3.1.2", Path: "/app/app.deps.json", Layer: 1, IntroducedBy: 1},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != "/app/other.deps.json" {
		t.Errorf("warnings = %v, want one naming /app/other.deps.json", s.Warnings)
	}
}
