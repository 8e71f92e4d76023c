package purltype

import (
	"testing"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

func TestFromPURL(t *testing.T) {
	tests := []struct {
		in   string
		want sbom.Type
	}{
		{"pkg:deb/debian/bash@5.2", sbom.TypeDeb},
		{"pkg:pypi/django@5.0", sbom.TypePython},
		{"pkg:golang/github.com/x/y@v1", sbom.TypeGoModule},
		{"pkg:maven/g/a@1", sbom.TypeJavaArchive},
		{"pkg:NPM/left-pad@1", sbom.TypeNpm},
		{"pkg:github/o/r@1", ""},
		{"pkg:deb", ""},
		{"deb/debian/bash", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := FromPURL(tc.in); got != tc.want {
				t.Errorf("FromPURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestEveryModelTypeMaps(t *testing.T) {
	for _, typ := range []sbom.Type{sbom.TypeDeb, sbom.TypeApk, sbom.TypeRPM, sbom.TypeNpm, sbom.TypePython,
		sbom.TypeGoModule, sbom.TypeJavaArchive, sbom.TypeGem, sbom.TypeRustCrate, sbom.TypeComposer, sbom.TypeDotnet} {
		p := PURLType(typ)
		if p == "" || FromPURL("pkg:"+p+"/x@1") != typ {
			t.Errorf("type %s: purl type %q does not map back", typ, p)
		}
		if FromSyft(string(typ)) != typ {
			t.Errorf("type %s: syft name does not map", typ)
		}
	}
}
