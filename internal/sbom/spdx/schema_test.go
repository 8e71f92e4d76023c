package spdx

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
)

// schemaFile is the official SPDX 2.3 JSON schema (testdata/schema/README.md).
const (
	schemaFile = "spdx-schema-2.3.json"
	schemaURL  = "http://spdx.org/rdf/terms/2.3"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "schema", schemaFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

func schemaCases() []struct {
	name string
	doc  *sbom.SBOM
} {
	return []struct {
		name string
		doc  *sbom.SBOM
	}{
		{"sample", sample.SBOM()},
		{"empty", &sbom.SBOM{Source: sbom.Source{Reference: "dir:/tmp/x", Kind: "dir"}}},
		{"colliding ids", func() *sbom.SBOM {
			s := sample.SBOM()
			s.Packages = append(s.Packages, s.Packages[0])
			return s
		}()},
	}
}

func TestSchema(t *testing.T) {
	sch := compileSchema(t)
	for _, tc := range schemaCases() {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(encode(t, tc.doc)))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("output does not validate against SPDX 2.3:\n%v", err)
			}
		})
	}
}

func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"spdxVersion":"SPDX-2.3","packages":[{"name":"x"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err == nil {
		t.Error("a document without SPDXID, creationInfo and namespace validated")
	}
}

var spdxIDPattern = regexp.MustCompile(`^SPDXRef-[A-Za-z0-9.\-]+$`)

// TestSpecRules checks what the SPDX 2.3 specification requires and its JSON
// schema does not: well-formed unique SPDXIDs, relationships between
// elements that exist, every LicenseRef declared, a namespace without '#'.
func TestSpecRules(t *testing.T) {
	for _, tc := range schemaCases() {
		t.Run(tc.name, func(t *testing.T) {
			var doc struct {
				SPDXID            string
				DocumentNamespace string `json:"documentNamespace"`
				Packages          []struct {
					SPDXID          string
					LicenseDeclared string `json:"licenseDeclared"`
				} `json:"packages"`
				Files         []struct{ SPDXID string } `json:"files"`
				Relationships []struct {
					A string `json:"spdxElementId"`
					B string `json:"relatedSpdxElement"`
				} `json:"relationships"`
				Extracted []struct {
					ID string `json:"licenseId"`
				} `json:"hasExtractedLicensingInfos"`
			}
			if err := json.Unmarshal(encode(t, tc.doc), &doc); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(doc.DocumentNamespace, "#") || !strings.HasPrefix(doc.DocumentNamespace, NamespaceBase) {
				t.Errorf("namespace %q", doc.DocumentNamespace)
			}
			ids := map[string]bool{doc.SPDXID: true}
			declared := map[string]bool{}
			for _, e := range doc.Extracted {
				declared[e.ID] = true
			}
			check := func(id string) {
				if !spdxIDPattern.MatchString(id) || ids[id] {
					t.Errorf("SPDXID %q malformed or repeated", id)
				}
				ids[id] = true
			}
			for _, p := range doc.Packages {
				check(p.SPDXID)
				for _, f := range strings.FieldsFunc(p.LicenseDeclared, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
					if strings.HasPrefix(f, "LicenseRef-") && !declared[f] {
						t.Errorf("package %s: %s not declared", p.SPDXID, f)
					}
				}
			}
			for _, f := range doc.Files {
				check(f.SPDXID)
			}
			for _, r := range doc.Relationships {
				if !ids[r.A] || !ids[r.B] {
					t.Errorf("relationship %s → %s names a missing element", r.A, r.B)
				}
			}
		})
	}
}

// TestSchemaSyft is the positive control: syft's own SPDX 2.3 validates with
// the same schema file and validator.
func TestSchemaSyft(t *testing.T) {
	sch := compileSchema(t)
	f, err := os.Open(filepath.Join("testdata", "syft-image.spdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inst, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("syft's document does not validate:\n%v", err)
	}
}
