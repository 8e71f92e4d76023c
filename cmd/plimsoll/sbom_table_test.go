package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// TestSBOMTableRemovedByUnknown: a removed package whose evidence file outlived
// it has no removing layer (removedBy 0); the table must not name layer 0,
// which removes nothing.
func TestSBOMTableRemovedByUnknown(t *testing.T) {
	no := false
	doc := &sbom.SBOM{Source: sbom.Source{Scope: "all-layers"}, Packages: []sbom.Package{
		{Name: "gone", Version: "1", Type: sbom.TypeNpm, Squashed: &no},
		{Name: "purged", Version: "2", Type: sbom.TypeDeb, Squashed: &no, RemovedBy: 3},
	}}
	var b bytes.Buffer
	if err := writeSBOMTable(&b, doc); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "removed by layer 0") {
		t.Errorf("table names layer 0 as the remover:\n%s", out)
	}
	if !strings.Contains(out, "no (removed by layer 3)") {
		t.Errorf("table lost the removing layer:\n%s", out)
	}
}
