package spdx

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
)

// TestRoundTripAllLayers checks that an all-layers document keeps its scope and
// which packages the final image no longer holds.
func TestRoundTripAllLayers(t *testing.T) {
	doc := sample.SBOM()
	doc.Source.Scope = "all-layers"
	in, out := true, false
	for i := range doc.Packages {
		doc.Packages[i].Squashed = &in
	}
	doc.Packages[0].Squashed, doc.Packages[0].RemovedBy = &out, 2
	got, err := Decode(bytes.NewReader(encode(t, doc)))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got.Source.Scope != "all-layers" {
		t.Errorf("scope = %q, want all-layers", got.Source.Scope)
	}
	type mark struct {
		ID        string
		Squashed  bool
		RemovedBy int
	}
	var want, have []mark
	for _, p := range doc.Packages {
		want = append(want, mark{p.ID, *p.Squashed, p.RemovedBy})
	}
	for _, p := range got.Packages {
		if p.Squashed == nil {
			t.Fatalf("package %s: squashed not read back", p.ID)
		}
		have = append(have, mark{p.ID, *p.Squashed, p.RemovedBy})
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}
