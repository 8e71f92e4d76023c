package spdx

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func testEncoder() Encoder {
	return Encoder{
		Now:         func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		ToolVersion: "test",
	}
}

// codec is this format for the checks sample.Codec shares between formats.
func codec() sample.Codec { return sample.Codec{Encode: testEncoder().Encode, Decode: Decode} }

func encode(t *testing.T, s *sbom.SBOM) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := testEncoder().Encode(&buf, s); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

func TestEncodeGolden(t *testing.T) {
	got := encode(t, sample.SBOM())
	sample.Golden(t, filepath.Join("testdata", "sample.spdx.json"), got, *update)
}

func TestEncodeDeterministic(t *testing.T) {
	a := encode(t, sample.SBOM())
	s := sample.SBOM()
	// The same inventory listed in another order is the same document.
	for i, j := 0, len(s.Packages)-1; i < j; i, j = i+1, j-1 {
		s.Packages[i], s.Packages[j] = s.Packages[j], s.Packages[i]
	}
	if b := encode(t, s); !bytes.Equal(a, b) {
		t.Errorf("Encode of a reordered document differs:\n%s", cmp.Diff(string(a), string(b)))
	}
	s = sample.SBOM()
	s.Packages[0].Version += "x"
	if b := encode(t, s); bytes.Equal(a[:400], b[:400]) {
		t.Errorf("namespace did not change with the content:\n%s", b[:400])
	}
}

// TestRoundTrip checks model → SPDX → model keeps every package field, the
// source, the distro, the warnings, the ownership links and the owned files
// whose digest is known (SPDX requires a checksum for a file).
func TestRoundTrip(t *testing.T) {
	want := sample.SBOM()
	got, err := Decode(bytes.NewReader(encode(t, sample.SBOM())))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	var files []sbom.File
	kept := map[string]bool{}
	for _, f := range want.Files {
		if f.Digest != "" {
			files = append(files, f)
			kept[f.Path] = true
		}
	}
	want.Files = files
	var rels []sbom.Relationship
	for _, r := range want.Relationships {
		if r.Type == sbom.Owns || kept[r.To] {
			rels = append(rels, r)
		}
	}
	want.Relationships = rels
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestLicenseExpression(t *testing.T) {
	tests := []struct {
		name     string
		in       []string
		want     string
		wantRefs []string
	}{
		{"none", nil, "", nil},
		{"id", []string{"mit"}, "MIT", nil},
		{"ids", []string{"MIT", "BSD-3-Clause"}, "MIT AND BSD-3-Clause", nil},
		{"compound among others", []string{"MIT OR Apache-2.0", "ISC"}, "(MIT OR Apache-2.0) AND ISC", nil},
		{"free text", []string{"see copyright"}, "LicenseRef-see-copyright", []string{"LicenseRef-see-copyright"}},
		{"license ref", []string{"LicenseRef-x"}, "LicenseRef-x", []string{"LicenseRef-x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := builder{}
			got := b.licenseExpression(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("licenseExpression(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			var refs []string
			for r := range b.lics {
				refs = append(refs, r)
			}
			if diff := cmp.Diff(tc.wantRefs, refs); diff != "" {
				t.Errorf("declared refs mismatch (-want +got):\n%s", diff)
			}
			d := decoder{lics: b.lics}
			back := d.licenses(got)
			wantBack := tc.in
			if tc.name == "id" {
				wantBack = []string{"MIT"} // canonical case
			}
			if diff := cmp.Diff(wantBack, back); diff != "" {
				t.Errorf("licenses(%q) mismatch (-want +got):\n%s", got, diff)
			}
		})
	}
}

// TestReencode: a document plimsoll wrote, decoded and encoded again with the
// same clock, is the same bytes, serial number or namespace included.
func TestReencode(t *testing.T) {
	first := encode(t, sample.SBOM())
	s, err := Decode(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(first), string(encode(t, s))); diff != "" {
		t.Errorf("re-encoded document differs (-first +second):\n%s", diff)
	}
}
