package main

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom/decode"
)

// TestSBOMFormats writes the native, CycloneDX and SPDX documents of one image
// in one run and reads each back: the packages, with their purls and layers,
// are the same in all three.
func TestSBOMFormats(t *testing.T) {
	layout := sbomLayout(t, baseLayer())
	dir := t.TempDir()
	files := map[string]string{}
	args := []string{"sbom", "oci-dir:" + layout + ":1.0"}
	for _, f := range []string{decode.Native, decode.CycloneDX, decode.SPDX} {
		files[f] = filepath.Join(dir, f)
		args = append(args, "-o", f+"="+files[f])
	}
	if _, stderr, code := run(t, args...); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	native, _, err := decode.File(files[decode.Native])
	if err != nil {
		t.Fatal(err)
	}
	want := pkgRows(native)
	if len(want) == 0 {
		t.Fatal("no packages cataloged")
	}
	for _, f := range []string{decode.CycloneDX, decode.SPDX} {
		doc, format, err := decode.File(files[f])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if format != f {
			t.Errorf("%s detected as %q", f, format)
		}
		if diff := cmp.Diff(want, pkgRows(doc)); diff != "" {
			t.Errorf("%s packages (-native +decoded):\n%s", f, diff)
		}
		if doc.Source.ManifestDigest != native.Source.ManifestDigest || len(doc.Source.Layers) != len(native.Source.Layers) {
			t.Errorf("%s source %+v, want %+v", f, doc.Source, native.Source)
		}
	}
}
