package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/vex"
)

// The official CycloneDX 1.6 schema files, kept by the cyclonedx package's tests.
var cdxSchemas = map[string]string{
	"bom-1.6.SNAPSHOT.schema.json":  "http://cyclonedx.org/schema/bom-1.6.schema.json",
	"spdx.SNAPSHOT.schema.json":     "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
	"jsf-0.82.SNAPSHOT.schema.json": "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
}

func TestWriteCycloneDX(t *testing.T) {
	pkgs := []sbom.Package{
		{Name: "a", Version: "1.0", Type: sbom.TypeNpm, PURL: "pkg:npm/a@1.0", Locations: []sbom.Location{{Path: "/app/node_modules/a/package.json", Layer: 1}}},
		{Name: "b", Version: "1.0", Type: sbom.TypeNpm, PURL: "pkg:npm/b@1.0", Locations: []sbom.Location{{Path: "/app/node_modules/b/package.json", Layer: 1}}},
	}
	for i := range pkgs {
		pkgs[i].ComputeID()
	}
	doc := &sbom.SBOM{Schema: sbom.SchemaVersion, Source: sbom.Source{Reference: "oci-dir:img", Kind: "oci-dir"}, Packages: pkgs}
	fa := finding("CVE-1", "a", "critical", 9.8, "1.1")
	fa.Package.ID, fa.Aliases, fa.CVSS.Vector = pkgs[0].ID, []string{"GHSA-1"}, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
	fb := finding("CVE-2", "b", "medium", 5.0, "")
	fb.Package.ID = pkgs[1].ID
	rep := NewScan(doc, &match.Result{Findings: []match.Finding{fa, fb}}, ScanOptions{VEX: []vex.Statement{
		{Vulnerability: "CVE-2", Products: []string{"pkg:npm/b"}, Status: vex.NotAffected, Justification: "vulnerable_code_not_in_execute_path", Source: "v.json"},
	}})
	var b bytes.Buffer
	if err := WriteCycloneDX(&b, doc, rep, "test"); err != nil {
		t.Fatal(err)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(b.Bytes()), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, c := range *bom.Components {
		refs[c.BOMRef] = true
	}
	if bom.Vulnerabilities == nil || len(*bom.Vulnerabilities) != 2 {
		t.Fatalf("vulnerabilities = %v", bom.Vulnerabilities)
	}
	for _, v := range *bom.Vulnerabilities {
		if !refs[(*v.Affects)[0].Ref] {
			t.Errorf("%s affects %q, which is no component", v.ID, (*v.Affects)[0].Ref)
		}
	}
	v0, v1 := (*bom.Vulnerabilities)[0], (*bom.Vulnerabilities)[1]
	if r := (*v0.Ratings)[0]; *r.Score != 9.8 || r.Method != cdx.ScoringMethodCVSSv31 || v0.Recommendation == "" || (*v0.References)[0].ID != "GHSA-1" {
		t.Errorf("first vulnerability = %+v", v0)
	}
	if v1.Analysis == nil || v1.Analysis.State != cdx.IASNotAffected || v1.Analysis.Justification != cdx.IAJCodeNotReachable {
		t.Errorf("the VEX-suppressed finding lacks its not_affected analysis: %+v", v1)
	}

	c := jsonschema.NewCompiler()
	for file, url := range cdxSchemas {
		f, err := os.Open(filepath.Join("..", "sbom", "cyclonedx", "testdata", "schema", file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, d); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile(cdxSchemas["bom-1.6.SNAPSHOT.schema.json"])
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("not valid CycloneDX 1.6: %v", err)
	}
}
