package cyclonedx

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
	sample.Golden(t, filepath.Join("testdata", "sample.cdx.json"), got, *update)
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
	if b := encode(t, s); bytes.Equal(a[:200], b[:200]) {
		t.Errorf("serial number did not change with the content:\n%s", b[:200])
	}
}

// TestRoundTrip checks model → CycloneDX → model keeps every package field,
// the source, the distro, the warnings and the ownership links. Owned files
// are not written to CycloneDX.
func TestRoundTrip(t *testing.T) {
	want := sample.SBOM()
	got, err := Decode(bytes.NewReader(encode(t, sample.SBOM())))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want.Files = nil
	var rels []sbom.Relationship
	for _, r := range want.Relationships {
		if r.Type == sbom.Owns {
			rels = append(rels, r)
		}
	}
	want.Relationships = rels
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestLicenses(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"none", nil, "null"},
		{"id in canonical case", []string{"apache-2.0"}, `[{"license":{"id":"Apache-2.0"}}]`},
		{"deprecated id", []string{"GPL-2.0"}, `[{"license":{"id":"GPL-2.0"}}]`},
		{"lone expression", []string{"MIT OR Apache-2.0"}, `[{"expression":"MIT OR Apache-2.0"}]`},
		{"lone license ref", []string{"LicenseRef-x"}, `[{"expression":"LicenseRef-x"}]`},
		{"expression beside an id", []string{"MIT", "ISC AND BSD-3-Clause"}, `[{"license":{"id":"MIT"}},{"license":{"name":"ISC AND BSD-3-Clause"}}]`},
		{"deprecated plus id", []string{"GPL-2.0+"}, `[{"license":{"id":"GPL-2.0+"}}]`},
		{"free text", []string{"Custom (see copyright)"}, `[{"license":{"name":"Custom (see copyright)"}}]`},
		{"unknown word", []string{"Proprietary"}, `[{"license":{"name":"Proprietary"}}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustJSON(t, licenses(tc.in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("licenses(%q) mismatch (-want +got):\n%s", tc.in, diff)
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
