package match

import (
	"testing"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

func TestLanguageEcosystem(t *testing.T) {
	for typ, want := range map[sbom.Type]string{sbom.TypeNpm: "npm", sbom.TypePython: "PyPI", sbom.TypeDeb: ""} {
		got, ok := LanguageEcosystem(typ)
		if got != want || ok != (want != "") {
			t.Errorf("LanguageEcosystem(%s) = %q, %t; want %q", typ, got, ok, want)
		}
	}
}
