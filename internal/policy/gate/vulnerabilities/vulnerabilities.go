// Package vulnerabilities is the vulnerabilities gate: checks of the image's
// vulnerability findings (severity, CVSS, fix, EPSS, KEV), of the freshness of
// the vulnerability data, and of listed vulnerability IDs.
package vulnerabilities

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Gate is the vulnerabilities gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "vulnerabilities" }

// Description says what the gate does.
func (Gate) Description() string {
	return "Checks of the vulnerabilities found in the image's packages and of the vulnerability data."
}

// Triggers lists the gate's triggers.
func (Gate) Triggers() []gate.Trigger {
	return []gate.Trigger{pkg{}, staleFeed{}, unavailable{}, blacklist{}}
}

// TriggerID is Anchore's trigger ID of a vulnerability finding:
// "<vulnerability id>+<package name>", so an allowlist item "CVE-X+*" covers
// every package.
func TriggerID(f *match.Finding) string { return f.ID + "+" + f.Package.Name }

func fire(f *match.Finding, why string) gate.Fire {
	fix := "no fix"
	if f.FixState == match.Fixed {
		fix = "fixed in " + strings.Join(f.FixedVersions, ", ")
	}
	where := f.Package.Path
	if where == "" {
		where = string(f.Package.Type)
	}
	d := fmt.Sprintf("%s %s in %s %s (%s): %s", strings.ToUpper(f.SeverityLevel), f.ID, f.Package.Name, f.Package.Version, where, fix)
	if why != "" {
		d += "; " + why
	}
	fr := gate.Fire{ID: TriggerID(f), Layer: f.Package.IntroducedBy, Path: f.Package.Path, Detail: d}
	if f.Package.PURL != "" {
		fr.Alt = []string{f.ID + "+" + f.Package.PURL}
	}
	return fr
}

// staleFeed fires when the vulnerability data is older than allowed.
type staleFeed struct{}

func (staleFeed) Name() string { return "stale_feed_data" }
func (staleFeed) Description() string {
	return "Fires when the vulnerability data was last updated more than max_days_since_sync days ago (or never)."
}
func (staleFeed) Params() []gate.Param {
	return []gate.Param{{Name: "max_days_since_sync", Type: gate.Int, Required: true, Default: "2",
		Description: "the oldest acceptable vulnerability data, in days"}}
}
func (staleFeed) Compile(a gate.Args) (gate.Check, error) {
	days := a.Int("max_days_since_sync")
	if days < 0 {
		return nil, fmt.Errorf("max_days_since_sync %d is negative", days)
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if !in.Vulnerabilities {
			return nil, nil
		}
		if in.VulnSync.IsZero() {
			return []gate.Fire{{ID: "stale_feed_data", Layer: gate.NoLayer, Detail: "the vulnerability data has never been updated", Anchore: staleFeedID(days)}}, nil
		}
		age := in.Now.Sub(in.VulnSync)
		if age <= time.Duration(days)*24*time.Hour {
			return nil, nil
		}
		return []gate.Fire{{ID: "stale_feed_data", Layer: gate.NoLayer, Anchore: staleFeedID(days),
			Detail: fmt.Sprintf("the vulnerability data was last updated %s ago (limit %d days)", age.Round(time.Hour), days)}}, nil
	}, nil
}

// unavailable fires when there is no vulnerability data for the image.
type unavailable struct{}

func (unavailable) Name() string { return "vulnerability_data_unavailable" }
func (unavailable) Description() string {
	return "Fires when there is no vulnerability database, and for each ecosystem the image's packages need (its distribution release, a language's) that no advisory in the database covers."
}
func (unavailable) Params() []gate.Param { return nil }
func (unavailable) Compile(gate.Args) (gate.Check, error) {
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if !in.Vulnerabilities {
			return []gate.Fire{{ID: "vulnerability_data_unavailable", Layer: gate.NoLayer, Detail: "no vulnerability data was available for the evaluation",
				Anchore: unavailableID(in)}}, nil
		}
		var out []gate.Fire
		for _, eco := range in.Uncovered {
			fr := gate.Fire{ID: "vulnerability_data_unavailable:" + eco, Layer: gate.NoLayer,
				Detail: fmt.Sprintf("the vulnerability data has no advisory for %s: its packages were not checked", eco)}
			if eco == distroEcosystem(in) {
				fr.Anchore = unavailableID(in)
			}
			out = append(out, fr)
		}
		return out, nil
	}, nil
}

// distroEcosystem is the ecosystem uncovered() names for the image's
// distribution.
func distroEcosystem(in *gate.Input) string {
	if eco, ok := match.OSEcosystem(in.Distro); ok {
		return eco
	}
	return distroNamespace(in)
}

// blacklist fires for findings of listed vulnerabilities.
type blacklist struct{}

func (blacklist) Name() string { return "blacklist" }
func (blacklist) Description() string {
	return "Fires for each finding of a listed vulnerability ID (or alias)."
}
func (blacklist) Params() []gate.Param {
	return []gate.Param{
		{Name: "vulnerability_ids", Type: gate.List, Required: true, Description: "comma-separated vulnerability IDs: CVE-…, GHSA-…"},
		{Name: "vendor_only", Type: gate.Bool, Default: "true", Description: "true: skip vulnerabilities the distribution marked as not to be fixed in its release"},
	}
}
func (blacklist) Compile(a gate.Args) (gate.Check, error) {
	ids, vendorOnly := a.List("vulnerability_ids"), a.Bool("vendor_only")
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		var out []gate.Fire
		found := map[string]bool{}
		for i := range in.Findings {
			f := &in.Findings[i]
			if vendorOnly && in.WontFix[Key(f)] {
				continue
			}
			listed := false
			for _, id := range append([]string{f.ID}, f.Aliases...) {
				if slices.Contains(ids, id) {
					listed, found[id] = true, true
				}
			}
			if listed {
				out = append(out, fire(f, "listed vulnerability"))
			}
		}
		return withAnchoreID(out, blacklistID(ids, found)), nil
	}, nil
}
