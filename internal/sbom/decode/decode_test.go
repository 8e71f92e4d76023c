package decode

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/cyclonedx"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
	"github.com/plimsoll/plimsoll/internal/sbom/spdx"
)

func fixed() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// encoded returns the sample in every format plimsoll writes.
func encoded(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var b bytes.Buffer
	if err := sbom.WriteJSON(&b, sample.SBOM()); err != nil {
		t.Fatal(err)
	}
	out[Native] = bytes.Clone(b.Bytes())
	b.Reset()
	if err := (cyclonedx.Encoder{Now: fixed}).Encode(&b, sample.SBOM()); err != nil {
		t.Fatal(err)
	}
	out[CycloneDX] = bytes.Clone(b.Bytes())
	b.Reset()
	if err := (spdx.Encoder{Now: fixed}).Encode(&b, sample.SBOM()); err != nil {
		t.Fatal(err)
	}
	out[SPDX] = bytes.Clone(b.Bytes())
	return out
}

func TestDetect(t *testing.T) {
	enc := encoded(t)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"native", string(enc[Native]), Native},
		{"cyclonedx", string(enc[CycloneDX]), CycloneDX},
		{"spdx", string(enc[SPDX]), SPDX},
		{"syft", `{"artifacts":[],"source":{},"schema":{"version":"16.1.3","url":"https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.1.3.json"}}`, Syft},
		{"syft schema first", `{"schema":{"version":"16.1.3","url":"https://x/anchore/syft/schema.json"}}`, Syft},
		{"cyclonedx key late", `{"components":[],"specVersion":"1.4","bomFormat":"CycloneDX"}`, CycloneDX},
		{"spdx 2.2", `{"spdxVersion":"SPDX-2.2"}`, SPDX},
		{"spdx 3", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","spdxVersion":"SPDX-3.0"}`, ""},
		{"other bomFormat", `{"bomFormat":"NotCycloneDX"}`, ""},
		{"other native schema", `{"schema":"plimsoll-sbom/99"}`, ""},
		{"array", `[1,2]`, ""},
		{"not json", `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>`, ""},
		{"empty", ``, ""},
		{"truncated", `{"bomFormat":`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect(strings.NewReader(tc.in)); got != tc.want {
				t.Errorf("Detect = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDecodeEveryFormat decodes the sample as each format writes it and checks
// the packages come back with the same type, name, version, purl, licenses and
// layer.
func TestDecodeEveryFormat(t *testing.T) {
	type key struct {
		Type                sbom.Type
		Name, Version, PURL string
		Licenses            []string
		Layer               int
	}
	keys := func(s *sbom.SBOM) []key {
		var out []key
		for _, p := range s.Packages {
			out = append(out, key{p.Type, p.Name, p.Version, p.PURL, p.Licenses, p.IntroducedBy})
		}
		return out
	}
	want := keys(sample.SBOM())
	for format, b := range encoded(t) {
		t.Run(format, func(t *testing.T) {
			s, got, err := Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got != format {
				t.Errorf("format = %q, want %q", got, format)
			}
			if diff := cmp.Diff(want, keys(s)); diff != "" {
				t.Errorf("packages mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		path    string
		wantIs  error
		wantMsg string
	}{
		{"missing", filepath.Join(dir, "nope.json"), os.ErrNotExist, "nope.json"},
		{"unknown format", write("x.json", `{"hello":1}`), ErrUnknownFormat, "x.json"},
		{"broken cyclonedx", write("c.json", `{"bomFormat":"CycloneDX","specVersion":"1.6","components":7}`), nil, "c.json: decode cyclonedx"},
		{"broken spdx", write("s.json", `{"spdxVersion":"SPDX-2.3","packages":{}}`), nil, "s.json: decode spdx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := File(tc.path)
			if err == nil {
				t.Fatal("File succeeded")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tc.wantMsg)
			}
		})
	}
}

// TestDirSource: a directory's inventory comes back from every format with
// its reference and kind.
func TestDirSource(t *testing.T) {
	s := sample.SBOM()
	s.Source = sbom.Source{Reference: "dir:/srv/rootfs", Kind: "dir"}
	var b bytes.Buffer
	for _, enc := range []func() error{
		func() error { return (cyclonedx.Encoder{Now: fixed}).Encode(&b, s) },
		func() error { return (spdx.Encoder{Now: fixed}).Encode(&b, s) },
	} {
		b.Reset()
		if err := enc(); err != nil {
			t.Fatal(err)
		}
		got, format, err := Decode(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s.Source, got.Source); diff != "" {
			t.Errorf("%s source mismatch (-want +got):\n%s", format, diff)
		}
	}
}
