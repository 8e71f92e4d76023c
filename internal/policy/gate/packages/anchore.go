package packages

import (
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Anchore Engine identified the packages gate's firings by the hash of its
// message (gate.AnchoreID); these methods write the messages as its gate did.

var (
	_ gate.AnchoreNamer = required{}
	_ gate.AnchoreNamer = blacklist{}
	_ gate.AnchoreNamer = verify{}
)

// AnchoreIDs: "Required input package (name,version) is not present in
// container image", or, when a package of the name is installed at another
// version, Anchore's "… is present (…), but not at the version specified in
// policy (name)" (exact) and "Required min-version input package …" (minimum).
func (required) AnchoreIDs(a gate.Args, in *gate.Input, fires []gate.Fire) {
	name, ver := a.String("name"), a.String("version")
	msg := "Required input package (" + name + ") is not present in container image"
	if ver != "" {
		msg = "Required input package (" + name + "," + ver + ") is not present in container image"
	}
	for _, p := range in.Packages() {
		if p.Name != name || !ofType(&p, a.String("package_type")) || ver == "" || !p.InFinalImage() {
			continue
		}
		if a.String("version_match_type") == "minimum" {
			msg = "Required min-version input package (" + p.Name + ") is present (" + p.Version + "), but is lower version than what is specified in policy (" + ver + ")"
		} else {
			msg = "Required input package (" + p.Name + ") is present (" + p.Version + "), but not at the version specified in policy (" + name + ")"
		}
		break
	}
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("packages", "required_package", msg)
	}
}

// AnchoreIDs: "Package is blacklisted: name", with "-version" when the rule
// names one.
func (blacklist) AnchoreIDs(a gate.Args, _ *gate.Input, fires []gate.Fire) {
	for i := range fires {
		msg := "Package is blacklisted: " + fires[i].ID
		if v := a.String("version"); v != "" {
			msg += "-" + v
		}
		fires[i].Anchore = gate.AnchoreID("packages", "blacklist", msg)
	}
}

// AnchoreIDs: "VERIFY check against package db for package 'p' failed on
// entry '/path' with status: 'missing'" (or 'changed'); a missing file has no
// layer.
func (verify) AnchoreIDs(_ gate.Args, _ *gate.Input, fires []gate.Fire) {
	for i := range fires {
		f := &fires[i]
		pkg := strings.TrimSuffix(f.ID, ":"+f.Path)
		status := "changed"
		if f.Layer == gate.NoLayer {
			status = "missing"
		}
		f.Anchore = gate.AnchoreID("packages", "verify",
			"VERIFY check against package db for package '"+pkg+"' failed on entry '"+f.Path+"' with status: '"+status+"'")
	}
}
