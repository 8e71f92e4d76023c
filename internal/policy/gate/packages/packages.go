// Package packages is the packages gate: packages that must be present and
// packages that must not.
package packages

import (
	"context"
	"fmt"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/version"
)

// Gate is the packages gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "packages" }

// Description says what the gate does.
func (Gate) Description() string { return "Checks of the packages installed in the image." }

// Triggers lists the gate's triggers.
func (Gate) Triggers() []gate.Trigger { return []gate.Trigger{required{}, blacklist{}, verify{}} }

// schemes maps package types to their version schemes.
var schemes = map[sbom.Type]version.Scheme{
	sbom.TypeDeb: version.Deb{}, sbom.TypeApk: version.APK{}, sbom.TypeRPM: version.RPM{},
	sbom.TypeNpm: version.SemVer{}, sbom.TypeGoModule: version.SemVer{}, sbom.TypeRustCrate: version.SemVer{},
	sbom.TypePython: version.PEP440{}, sbom.TypeJavaArchive: version.Maven{}, sbom.TypeGem: version.Gem{},
	sbom.TypeDotnet: version.NuGet{}, sbom.TypeComposer: version.Composer{},
}

var packageType = gate.Param{Name: "package_type", Type: gate.Enum, Default: "all", Enum: []string{"all", "os", "non-os"},
	Description: "the packages to consider: all, OS (dpkg, apk, rpm) or language packages (new)"}

// ofType reports whether a package is of the package_type asked for.
func ofType(p *sbom.Package, want string) bool {
	switch want {
	case "os":
		return p.Type.IsOS()
	case "non-os":
		return !p.Type.IsOS()
	}
	return true
}

type required struct{}

func (required) Name() string { return "required_package" }
func (required) Description() string {
	return "Fires when no package of the name (and version) is installed."
}
func (required) Params() []gate.Param {
	return []gate.Param{
		{Name: "name", Type: gate.String, Required: true, Description: "the package name"},
		{Name: "version", Type: gate.String, Description: "the version required"},
		{Name: "version_match_type", Type: gate.Enum, Default: "exact", Enum: []string{"exact", "minimum"}, Description: "exact: that version; minimum: that version or later"},
		packageType,
	}
}
func (required) Compile(a gate.Args) (gate.Check, error) {
	name, ver, minimum, typ := a.String("name"), a.String("version"), a.String("version_match_type") == "minimum", a.String("package_type")
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		for _, p := range in.Packages() {
			// A package a later layer removed (--scope all-layers) is not installed.
			if p.Name != name || !ofType(&p, typ) || !p.InFinalImage() {
				continue
			}
			if ver == "" || p.Version == ver {
				return nil, nil
			}
			if s, ok := schemes[p.Type]; ok && minimum {
				if c, err := s.Compare(p.Version, ver); err == nil && c >= 0 {
					return nil, nil
				}
			}
		}
		want := name
		if ver != "" {
			want += " " + ver
			if minimum {
				want += " or later"
			}
		}
		return []gate.Fire{{ID: name, Layer: gate.NoLayer, Detail: fmt.Sprintf("required package %s is not installed", want)}}, nil
	}, nil
}

type blacklist struct{}

func (blacklist) Name() string { return "blacklist" }
func (blacklist) Description() string {
	return "Fires for each installed package of the name (and version)."
}
func (blacklist) Params() []gate.Param {
	return []gate.Param{
		{Name: "name", Type: gate.String, Required: true, Description: "the package name"},
		{Name: "version", Type: gate.String, Description: "only this version"},
		packageType,
	}
}
func (blacklist) Compile(a gate.Args) (gate.Check, error) {
	name, ver, typ := a.String("name"), a.String("version"), a.String("package_type")
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		var out []gate.Fire
		for _, p := range in.Packages() {
			if p.Name != name || (ver != "" && p.Version != ver) || !ofType(&p, typ) {
				continue
			}
			out = append(out, gate.Fire{ID: p.Name, Layer: p.IntroducedBy, Path: primary(&p),
				Detail: fmt.Sprintf("denied package %s %s (%s) is installed", p.Name, p.Version, p.Type)})
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
