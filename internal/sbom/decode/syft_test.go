package decode

import (
	"cmp"
	"path/filepath"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// syftImage is the same image as syft v1.57.1 wrote it in every format it
// has (the fixtures of the format packages; see their testdata/README.md).
var syftImage = map[string]string{
	"../syftjson/testdata/syft-image.json":          Syft,
	"../cyclonedx/testdata/syft-image.1.4.cdx.json": CycloneDX,
	"../cyclonedx/testdata/syft-image.1.5.cdx.json": CycloneDX,
	"../cyclonedx/testdata/syft-image.1.6.cdx.json": CycloneDX,
	"../spdx/testdata/syft-image.spdx.json":         SPDX,
}

type pkgKey struct {
	Type          sbom.Type
	Name, Version string
	PURL          string
}

func pkgKeys(s *sbom.SBOM) []pkgKey {
	var out []pkgKey
	for _, p := range s.Packages {
		out = append(out, pkgKey{p.Type, p.Name, p.Version, p.PURL})
	}
	slices.SortFunc(out, func(a, b pkgKey) int {
		return cmp.Compare(a.Name, b.Name) // names are unique in the fixture
	})
	return out
}

// TestSyftFormatsAgree decodes syft's five documents of one image: each is
// detected as its format, and all give the same packages (type, name,
// version, purl) with the same distro.
func TestSyftFormatsAgree(t *testing.T) {
	want, _, err := File(filepath.FromSlash("../syftjson/testdata/syft-image.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Packages) < 10 {
		t.Fatalf("syft JSON gave %d packages", len(want.Packages))
	}
	for path, format := range syftImage {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got, gotFormat, err := File(filepath.FromSlash(path))
			if err != nil {
				t.Fatal(err)
			}
			if gotFormat != format {
				t.Errorf("format %q, want %q", gotFormat, format)
			}
			if diff := gocmp.Diff(pkgKeys(want), pkgKeys(got)); diff != "" {
				t.Errorf("packages differ from syft JSON's (-syft-json +this):\n%s", diff)
			}
		})
	}
}
