package vulnerabilities

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// pkg fires for each finding that passes every given condition.
type pkg struct{}

func (pkg) Name() string { return "package" }
func (pkg) Description() string {
	return "Fires for each vulnerability finding that meets every condition given."
}

func (pkg) Params() []gate.Param {
	cmp := func(name, what string) gate.Param {
		return gate.Param{Name: name, Type: gate.Enum, Enum: gate.NumberChecks, Default: ">=", Description: "how " + what + " compares with the value"}
	}
	return []gate.Param{
		{Name: "package_type", Type: gate.Enum, Default: "all", Enum: []string{"all", "os", "non-os"}, Description: "the packages to consider"},
		{Name: "severity_comparison", Type: gate.Enum, Default: ">=", Enum: gate.NumberChecks, Description: "how the severity compares with severity"},
		{Name: "severity", Type: gate.String, Description: "unknown, negligible, low, medium, high or critical (any case)"},
		{Name: "fix_available", Type: gate.Bool, Description: "true: only findings with a fix; false: only findings without one"},
		{Name: "vendor_only", Type: gate.Bool, Default: "true", Description: "true: skip vulnerabilities the distribution marked as not to be fixed in its release (Debian no-dsa, ignored, postponed; Ubuntu ignored, deferred; Red Hat will not fix)"},
		{Name: "max_days_since_creation", Type: gate.Int, Description: "only vulnerabilities whose advisory was published more than this many days ago (an unknown date counts as old)"},
		{Name: "max_days_since_fix", Type: gate.Int, Description: "with fix_available true (as in Anchore; ignored otherwise): only fixes available for more than this many days — dated by when a database update first saw the fix added to its advisory, else the advisory's publication (an unknown date counts as old)"},
		cmp("cvss_v3_base_score_comparison", "the CVSS v3 base score"),
		{Name: "cvss_v3_base_score", Type: gate.Float, Description: "CVSS v3 base score (0-10); findings without a v3 vector do not fire"},
		cmp("cvss_v3_exploitability_score_comparison", "the CVSS v3 exploitability sub-score"),
		{Name: "cvss_v3_exploitability_score", Type: gate.Float, Description: "CVSS v3 exploitability sub-score (0-3.9)"},
		cmp("cvss_v3_impact_score_comparison", "the CVSS v3 impact sub-score"),
		{Name: "cvss_v3_impact_score", Type: gate.Float, Description: "CVSS v3 impact sub-score (0-6.1)"},
		cmp("vendor_cvss_v3_base_score_comparison", "the vendor's CVSS v3 base score"),
		{Name: "vendor_cvss_v3_base_score", Type: gate.Float, Description: "CVSS v3 base score of the vector the advisory record carries"},
		cmp("vendor_cvss_v3_exploitability_score_comparison", "the vendor's CVSS v3 exploitability sub-score"),
		{Name: "vendor_cvss_v3_exploitability_score", Type: gate.Float, Description: "exploitability sub-score of the advisory record's CVSS v3 vector"},
		cmp("vendor_cvss_v3_impact_score_comparison", "the vendor's CVSS v3 impact sub-score"),
		{Name: "vendor_cvss_v3_impact_score", Type: gate.Float, Description: "impact sub-score of the advisory record's CVSS v3 vector"},
		cmp("epss_score_comparison", "the EPSS score"),
		{Name: "epss_score", Type: gate.Float, Description: "EPSS probability (0-1); findings without one do not fire (new)"},
		cmp("epss_percentile_comparison", "the EPSS percentile"),
		{Name: "epss_percentile", Type: gate.Float, Description: "EPSS percentile (0-1) (new)"},
		{Name: "kev", Type: gate.Bool, Description: "true: only findings in CISA's Known Exploited Vulnerabilities catalog (new)"},
		{Name: "package_path_exclude", Type: gate.Regexp, Description: "skip packages whose path matches this regular expression"},
	}
}

type condition func(f *match.Finding) bool

func (pkg) Compile(a gate.Args) (gate.Check, error) {
	var conds []condition
	switch a.String("package_type") {
	case "os":
		conds = append(conds, func(f *match.Finding) bool { return f.Package.Type.IsOS() })
	case "non-os":
		conds = append(conds, func(f *match.Finding) bool { return !f.Package.Type.IsOS() })
	}
	if a.Has("severity") {
		sev, err := match.ParseSeverity(a.String("severity"))
		if err != nil {
			return nil, fmt.Errorf("param severity: %w", err)
		}
		op, want := a.String("severity_comparison"), match.SeverityRank(sev)
		conds = append(conds, func(f *match.Finding) bool { return gate.Compare(op, match.SeverityRank(f.SeverityLevel), want) })
	}
	if a.Has("fix_available") {
		want := a.Bool("fix_available")
		conds = append(conds, func(f *match.Finding) bool { return (f.FixState == match.Fixed) == want })
	}
	conds = append(conds, scoreConditions(a)...)

	if a.Has("epss_score") {
		op, want := a.String("epss_score_comparison"), a.Float("epss_score")
		conds = append(conds, func(f *match.Finding) bool {
			return f.Exploit.EPSS != nil && gate.Compare(op, f.Exploit.EPSS.Score, want)
		})
	}
	if a.Has("epss_percentile") {
		op, want := a.String("epss_percentile_comparison"), a.Float("epss_percentile")
		conds = append(conds, func(f *match.Finding) bool {
			return f.Exploit.EPSS != nil && gate.Compare(op, f.Exploit.EPSS.Percentile, want)
		})
	}
	if a.Has("kev") {
		want := a.Bool("kev")
		conds = append(conds, func(f *match.Finding) bool { return f.Exploit.KnownExploited == want })
	}
	if re := a.Regexp("package_path_exclude"); re != nil {
		conds = append(conds, func(f *match.Finding) bool { return !excluded(re, f) })
	}
	maxAge, checkAge := days(a, "max_days_since_creation")
	maxFix, checkFix := days(a, "max_days_since_fix")
	checkFix = checkFix && a.Bool("fix_available") // Anchore evaluates it only with fix_available true
	vendorOnly := a.Bool("vendor_only")
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		var out []gate.Fire
		for i := range in.Findings {
			f := &in.Findings[i]
			if !all(conds, f) || vendorOnly && in.WontFix[Key(f)] {
				continue
			}
			if p, ok := in.Published[f.ID]; checkAge && ok && in.Now.Sub(p) <= maxAge {
				continue // published too recently to count yet
			}
			if d, ok := in.FixDates[Key(f)]; checkFix && ok && in.Now.Sub(d) <= maxFix {
				continue // fixed too recently to count yet
			}
			out = append(out, fire(f, ""))
		}
		return out, nil
	}, nil
}

// days returns a day-count parameter as a duration, and whether it is given.
func days(a gate.Args, name string) (time.Duration, bool) {
	return time.Duration(a.Int(name)) * 24 * time.Hour, a.Has(name)
}

// scoreConditions are the CVSS v3 score conditions the rule gives.
func scoreConditions(a gate.Args) []condition {
	var conds []condition
	for _, prefix := range []string{"", "vendor_"} {
		source := nvdV3
		if prefix != "" {
			source = vendorV3
		}
		for _, part := range []string{"base", "exploitability", "impact"} {
			name := prefix + "cvss_v3_" + part + "_score"
			if !a.Has(name) {
				continue
			}
			op, want, part := a.String(name+"_comparison"), a.Float(name), part
			conds = append(conds, func(f *match.Finding) bool {
				s, ok := source(f)
				if !ok {
					return false
				}
				got := map[string]float64{"base": s.base, "exploitability": s.exploitability, "impact": s.impact}[part]
				return gate.Compare(op, got, want)
			})
		}
	}
	return conds
}

func all(conds []condition, f *match.Finding) bool {
	for _, c := range conds {
		if !c(f) {
			return false
		}
	}
	return true
}

func excluded(re *regexp.Regexp, f *match.Finding) bool {
	return f.Package.Path != "" && re.MatchString(f.Package.Path)
}
