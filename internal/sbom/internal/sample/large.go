package sample

import (
	"fmt"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Large returns the sample with n more packages, every fifth with a compound
// license expression and every seventh with free text, owned in pairs: the
// size of a busy application image, for benchmarks.
func Large(n int) *sbom.SBOM {
	s := SBOM()
	licenses := [][]string{{"MIT"}, {"Apache-2.0"}, {"GPL-2.0-or-later", "LGPL-2.1-or-later"}, {"BSD-3-Clause"}, {"MIT OR Apache-2.0"}, {"ISC"}, {"Custom License"}}
	for i := range n {
		typ, purlType := sbom.TypeNpm, "npm"
		if i%2 == 0 {
			typ, purlType = sbom.TypeDeb, "deb/debian"
		}
		p := sbom.Package{
			Name: fmt.Sprintf("pkg-%05d", i), Version: "1.0." + fmt.Sprint(i%10), Type: typ,
			PURL:      fmt.Sprintf("pkg:%s/pkg-%05d@1.0.%d", purlType, i, i%10),
			Licenses:  licenses[i%len(licenses)],
			Locations: []sbom.Location{{Path: fmt.Sprintf("/app/node_modules/pkg-%05d/package.json", i), Layer: 1}},
			Cataloger: "npm", IntroducedBy: 1,
		}
		p.ComputeID()
		s.Packages = append(s.Packages, p)
		if i%2 == 1 {
			prev := s.Packages[len(s.Packages)-2]
			s.Relationships = append(s.Relationships, sbom.Relationship{From: prev.ID, To: p.ID, Type: sbom.Owns})
		}
	}
	s.Sort()
	return s
}
