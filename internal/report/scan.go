// Package report renders what plimsoll found: the scan report model (findings
// after ignore rules and filters, with the --fail-on verdict) and its writers —
// table, JSON, SARIF 2.1.0, JUnit XML and Go templates.
package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/plimsoll/plimsoll/internal/ignore"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/vex"
)

// Scan is the report of plimsoll scan; its JSON form is schema "plimsoll-scan/1".
type Scan struct {
	Schema       string         `json:"schema"`
	Source       sbom.Source    `json:"source"`
	Distro       *sbom.Distro   `json:"distro,omitempty"`
	Findings     []Finding      `json:"findings"`
	Ignored      []Ignored      `json:"ignored,omitempty"`
	Suppressed   []Suppressed   `json:"suppressed,omitempty"` // by VEX statements
	ExpiredRules []ignore.Rule  `json:"expiredIgnoreRules,omitempty"`
	Summary      map[string]int `json:"summary"` // findings per severity level
	FailOn       string         `json:"failOn,omitempty"`
	Failed       bool           `json:"failed"`
	Warnings     []string       `json:"warnings,omitempty"`
}

// Finding is a matcher's finding as the report shows it: with --scope
// all-layers (Source.Scope "all-layers"), also whether the final image still
// holds the package.
type Finding struct {
	match.Finding
	// Squashed is the package's sbom.Package.Squashed: nil in a squashed
	// scan, false for a package that earlier layers held and a later layer
	// deleted or replaced.
	Squashed *bool `json:"squashed,omitempty"`
	// RemovedBy is the layer that removed the package, when Squashed is false.
	RemovedBy int `json:"removedBy,omitempty"`
}

// InFinalImage reports whether the final image holds the finding's package.
func (f *Finding) InFinalImage() bool { return f.Squashed == nil || *f.Squashed }

// Ignored is a finding an ignore rule silenced, with the rule.
type Ignored struct {
	Finding
	Rule ignore.Rule `json:"ignoredBy"`
}

// Suppressed is a finding a VEX statement says does not affect the image.
type Suppressed struct {
	Finding
	Statement vex.Statement `json:"vexStatement"`
}

// ScanOptions are the filters and the gate of a scan.
type ScanOptions struct {
	OnlyFixed  bool
	Severities []string // report only these levels; empty means all
	FailOn     string   // the level at or above which a finding fails; "" never fails
	Rules      []ignore.Rule
	VEX        []vex.Statement // not_affected and fixed statements suppress findings
	Now        time.Time       // when ignore rules are judged for expiry
}

// NewScan applies ignore rules and filters to the matcher's result, counts the
// findings per severity and decides the --fail-on verdict.
func NewScan(doc *sbom.SBOM, res *match.Result, o ScanOptions) *Scan {
	rules, now, failOn := o.Rules, o.Now, o.FailOn
	rep := &Scan{Schema: "plimsoll-scan/1", Source: doc.Source, Distro: doc.Distro, Summary: map[string]int{},
		FailOn: failOn, Findings: []Finding{}, Warnings: res.Warnings}
	pkgs := make(map[string]*sbom.Package, len(doc.Packages))
	for i := range doc.Packages {
		pkgs[doc.Packages[i].ID] = &doc.Packages[i]
	}
	for _, w := range doc.Warnings {
		rep.Warnings = append(rep.Warnings, w.String())
	}
	var live []ignore.Rule
	for _, r := range rules {
		if r.Expired(now) {
			rep.ExpiredRules = append(rep.ExpiredRules, r)
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("ignore rule at %s expired on %s and no longer applies", r.Source, r.Expires.UTC().Format("2006-01-02")))
			continue
		}
		live = append(live, r)
	}
	for _, mf := range res.Findings {
		fd := Finding{Finding: mf}
		if p := pkgs[mf.Package.ID]; p != nil {
			fd.Squashed, fd.RemovedBy = p.Squashed, p.RemovedBy
		}
		if o.OnlyFixed && fd.FixState != match.Fixed {
			continue
		}
		if len(o.Severities) > 0 && !slices.Contains(o.Severities, fd.SeverityLevel) {
			continue
		}
		if st, ok := suppressedBy(o.VEX, doc.Source, fd); ok {
			rep.Suppressed = append(rep.Suppressed, Suppressed{Finding: fd, Statement: st})
			continue
		}
		if r, ok := ignoredBy(live, fd); ok {
			rep.Ignored = append(rep.Ignored, Ignored{Finding: fd, Rule: r})
			continue
		}
		rep.Findings = append(rep.Findings, fd)
		rep.Summary[fd.SeverityLevel]++
		if failOn != "" && match.SeverityRank(fd.SeverityLevel) >= match.SeverityRank(failOn) {
			rep.Failed = true
		}
	}
	return rep
}

func ignoredBy(rules []ignore.Rule, f Finding) (ignore.Rule, bool) {
	t := ignore.Target{ID: f.ID, Aliases: f.Aliases, Name: f.Package.Name, Version: f.Package.Version,
		PURL: f.Package.PURL, Type: string(f.Package.Type), Path: f.Package.Path, FixState: f.FixState}
	for _, r := range rules {
		if r.Matches(t) {
			return r, true
		}
	}
	return ignore.Rule{}, false
}

func suppressedBy(statements []vex.Statement, src sbom.Source, f Finding) (vex.Statement, bool) {
	p := vex.Product{
		VulnIDs: append([]string{f.ID}, f.Aliases...),
		PURL:    f.Package.PURL,
		Image:   append(append([]string{src.ManifestDigest, src.Reference}, src.RepoDigests...), src.Tags...),
	}
	if st, ok := vex.Resolve(statements, p); ok && st.Suppresses() {
		return st, true
	}
	return vex.Statement{}, false
}
