package licenses

import (
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

var _ gate.AnchoreNamer = denied{}

// AnchoreIDs gives every firing the one ID Anchore Engine gave the trigger,
// which fired once for all packages: the hash (gate.AnchoreID) of
// "LICFULLMATCH Packages are installed that have blacklisted licenses:
// git(GPL-2), gnupg(GPL-3+)" (LICSUBMATCH for partial matches), each
// package's licenses split on white space as Anchore split its license field.
func (d denied) AnchoreIDs(a gate.Args, in *gate.Input, fires []gate.Fire) {
	list := a.List("licenses")
	var hits []string
	for _, p := range in.Packages() {
		for _, field := range p.Licenses {
			for _, l := range strings.Fields(field) {
				if d.exact {
					if slices.Contains(list, l) {
						hits = append(hits, p.Name+"("+l+")")
					}
					continue
				}
				for _, s := range list {
					if strings.Contains(l, s) {
						hits = append(hits, p.Name+"("+l+")")
					}
				}
			}
		}
	}
	prefix := "LICSUBMATCH"
	if d.exact {
		prefix = "LICFULLMATCH"
	}
	id := gate.AnchoreID("licenses", d.name, prefix+" Packages are installed that have blacklisted licenses: "+strings.Join(hits, ", "))
	for i := range fires {
		fires[i].Anchore = id
	}
}
