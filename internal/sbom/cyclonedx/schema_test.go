package cyclonedx

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
)

// schemaFiles are the official CycloneDX 1.6 JSON schema and the two it
// references, from the npm package @cyclonedx/cyclonedx-library 10.3.0
// (testdata/schema/README.md), by the URL the schema's $refs resolve to.
var schemaFiles = map[string]string{
	"bom-1.6.SNAPSHOT.schema.json":  "http://cyclonedx.org/schema/bom-1.6.schema.json",
	"spdx.SNAPSHOT.schema.json":     "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
	"jsf-0.82.SNAPSHOT.schema.json": "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for file, url := range schemaFiles {
		f, err := os.Open(filepath.Join("testdata", "schema", file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	sch, err := c.Compile(schemaFiles["bom-1.6.SNAPSHOT.schema.json"])
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

func TestSchema(t *testing.T) {
	sch := compileSchema(t)
	emptyImage := &sbom.SBOM{Source: sbom.Source{Reference: "dir:/tmp/x", Kind: "dir"}}
	tests := []struct {
		name string
		doc  *sbom.SBOM
	}{
		{"sample", sample.SBOM()},
		{"empty", emptyImage},
		{"colliding ids", func() *sbom.SBOM {
			s := sample.SBOM()
			s.Packages = append(s.Packages, s.Packages[0])
			return s
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(encode(t, tc.doc)))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("output does not validate against CycloneDX 1.6:\n%v", err)
			}
		})
	}
}

// TestSchemaRejects makes sure the validation can fail: a document without
// bomFormat is not CycloneDX.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"specVersion":"1.6","components":[{"type":"library"}]}`)))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err == nil {
		t.Error("a document without bomFormat and a component without name validated")
	}
}

// TestSchemaSyft is the positive control: syft's own CycloneDX 1.6 validates
// with the same schema files and validator.
func TestSchemaSyft(t *testing.T) {
	sch := compileSchema(t)
	f, err := os.Open(filepath.Join("testdata", "syft-image.1.6.cdx.json"))
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
