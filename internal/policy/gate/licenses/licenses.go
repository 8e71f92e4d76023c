// Package licenses is the licenses gate: packages under denied licenses.
package licenses

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Gate is the licenses gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "licenses" }

// Description says what the gate does.
func (Gate) Description() string { return "Checks of the licenses of the image's packages." }

// Triggers lists the gate's triggers.
func (Gate) Triggers() []gate.Trigger {
	return []gate.Trigger{denied{name: "blacklist_exact_match", exact: true}, denied{name: "blacklist_partial_match"}}
}

type denied struct {
	name  string
	exact bool
}

func (d denied) Name() string { return d.name }
func (d denied) Description() string {
	if d.exact {
		return "Fires for each package with a license equal to a listed SPDX id."
	}
	return "Fires for each package with a license containing a listed string (GPL matches LGPL-2.1-only too)."
}
func (denied) Params() []gate.Param {
	return []gate.Param{{Name: "licenses", Type: gate.List, Required: true, Description: "comma-separated SPDX license ids (or parts of them)"}}
}
func (d denied) Compile(a gate.Args) (gate.Check, error) {
	list := a.List("licenses")
	hit := func(l string) bool {
		if d.exact {
			return slices.Contains(list, l)
		}
		return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(l, s) })
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		var out []gate.Fire
		for _, p := range in.Packages() {
			for _, l := range p.Licenses {
				if hit(l) {
					out = append(out, gate.Fire{ID: l + "+" + p.Name, Layer: p.IntroducedBy, Path: primary(&p),
						Detail: fmt.Sprintf("package %s %s (%s) has the denied license %s", p.Name, p.Version, p.Type, l)})
				}
			}
		}
		return out, nil
	}, nil
}

func primary(p *sbom.Package) string {
	if len(p.Locations) == 0 {
		return ""
	}
	return p.Locations[0].Path
}
