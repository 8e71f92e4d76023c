package cyclonedx

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// foreign is a CycloneDX 1.4 document of the kind other tools write: nested
// components, a group, an expression, syft properties, a dependency graph
// with real dependencies and one OS → language link.
const foreign = `{
  "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
  "metadata": {"component": {"type": "container", "name": "alpine", "version": "3.19"}},
  "components": [
    {"bom-ref": "os", "type": "operating-system", "name": "alpine", "version": "3.19.1", "description": "Alpine Linux v3.19"},
    {"bom-ref": "musl", "type": "library", "name": "musl", "version": "1.2.4-r2",
     "purl": "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64", "licenses": [{"license": {"id": "MIT"}}],
     "properties": [
       {"name": "syft:package:foundBy", "value": "apk-db-cataloger"},
       {"name": "syft:package:type", "value": "apk"},
       {"name": "syft:location:0:layerID", "value": "sha256:1111"},
       {"name": "syft:location:0:path", "value": "/lib/apk/db/installed"}
     ]},
    {"bom-ref": "py", "type": "library", "name": "py3-six", "version": "1.16.0-r8", "purl": "pkg:apk/alpine/py3-six@1.16.0-r8",
     "evidence": {"occurrences": [{"location": "/lib/apk/db/installed"}]}},
    {"bom-ref": "six", "type": "library", "scope": "optional", "name": "six", "version": "1.16.0", "purl": "pkg:pypi/six@1.16.0",
     "licenses": [{"expression": "MIT OR Apache-2.0"}]},
    {"bom-ref": "app", "type": "application", "name": "app", "version": "1.0", "components": [
      {"bom-ref": "lp", "type": "library", "group": "@scope", "name": "left-pad", "version": "1.3.0",
       "purl": "pkg:npm/%40scope/left-pad@1.3.0", "licenses": [{"license": {"name": "Custom"}}]}
    ]},
    {"type": "file", "name": "/etc/passwd"}
  ],
  "dependencies": [
    {"ref": "py", "dependsOn": ["six", "musl"]},
    {"ref": "app", "dependsOn": ["lp"]},
    {"ref": "nowhere", "dependsOn": ["six"]}
  ]
}`

func TestDecodeForeign(t *testing.T) {
	s, err := Decode(strings.NewReader(foreign))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Type                     sbom.Type
		Name, Version, Cataloger string
		Dev                      bool
		Licenses                 []string
		Locations                []sbom.Location
	}
	var got []row
	ids := map[string]string{}
	for _, p := range s.Packages {
		got = append(got, row{p.Type, p.Name, p.Version, p.Cataloger, p.Dev, p.Licenses, p.Locations})
		ids[p.Name] = p.ID
	}
	empty := []sbom.Location{}
	want := []row{
		{sbom.TypeApk, "musl", "1.2.4-r2", "apk-db-cataloger", false, []string{"MIT"}, []sbom.Location{{Path: "/lib/apk/db/installed", DiffID: "sha256:1111"}}},
		{sbom.TypeApk, "py3-six", "1.16.0-r8", "cyclonedx", false, nil, []sbom.Location{{Path: "/lib/apk/db/installed"}}},
		{sbom.TypeNpm, "@scope/left-pad", "1.3.0", "cyclonedx", false, []string{"Custom"}, empty},
		{sbom.TypePython, "six", "1.16.0", "cyclonedx", true, []string{"MIT OR Apache-2.0"}, empty},
		{"", "app", "1.0", "cyclonedx", false, nil, empty},
	}
	sortRows := cmp.Transformer("sort", func(in []row) map[string]row {
		m := map[string]row{}
		for _, r := range in {
			m[r.Name] = r
		}
		return m
	})
	if diff := cmp.Diff(want, got, sortRows); diff != "" {
		t.Errorf("packages mismatch (-want +got):\n%s", diff)
	}
	wantRels := []sbom.Relationship{{From: ids["py3-six"], To: ids["six"], Type: sbom.Owns}}
	if diff := cmp.Diff(wantRels, s.Relationships); diff != "" {
		t.Errorf("relationships mismatch (-want +got):\n%s", diff)
	}
	wantDistro := &sbom.Distro{ID: "alpine", VersionID: "3.19.1", PrettyName: "Alpine Linux v3.19"}
	if diff := cmp.Diff(wantDistro, s.Distro); diff != "" {
		t.Errorf("distro mismatch (-want +got):\n%s", diff)
	}
	if s.Source.Reference != "alpine:3.19" {
		t.Errorf("source reference %q, want alpine:3.19", s.Source.Reference)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantIs  error
		wantMsg string
	}{
		{"not json", "<bom/>", nil, "decode cyclonedx"},
		{"other format", `{"bomFormat":"SPDX","specVersion":"1.6"}`, ErrNotCycloneDX, "SPDX"},
		{"wrong type", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":{}}`, nil, "decode cyclonedx"},
		{"unknown spec version", `{"bomFormat":"CycloneDX","specVersion":"9.9"}`, nil, "decode cyclonedx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.in))
			if err == nil {
				t.Fatal("Decode succeeded")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q lacks %q", err, tc.wantMsg)
			}
		})
	}
}

// TestDecodeBadProperty: a property that does not parse is a warning naming
// the component; the package is still read.
func TestDecodeBadProperty(t *testing.T) {
	doc := `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"bom-ref":"x","type":"library","name":"x","version":"1",
	  "properties":[{"name":"plimsoll:package:layer","value":"-3"},{"name":"plimsoll:package:metadataType","value":"nope"}]}]}`
	s, err := Decode(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Packages) != 1 || s.Packages[0].Name != "x" {
		t.Fatalf("packages = %+v", s.Packages)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Message, `component "x"`) {
		t.Errorf("warnings = %+v, want one naming component x", s.Warnings)
	}
}
