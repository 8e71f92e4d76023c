package vulnerabilities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// Store is the vulnerability data Gather reads; *vulndb.DB provides it.
type Store interface {
	Record(ctx context.Context, id string) (*vulndb.Vulnerability, error)
	FixSeen(ctx context.Context, id string) (map[string]time.Time, error)
	HasEcosystem(ctx context.Context, ecosystem string) (bool, error)
}

var _ Store = (*vulndb.DB)(nil)

// Needs says which facts the compiled rules read, so only those are looked up.
type Needs struct {
	Published bool // max_days_since_creation
	FixDates  bool // max_days_since_fix
	Vendor    bool // vendor_only
	Coverage  bool // vulnerability_data_unavailable
}

// Key identifies a finding in Input.FixDates and Input.WontFix: the
// vulnerability and the package (one CVE has a fix date per package).
func Key(f *match.Finding) string {
	id := f.Package.ID
	if id == "" {
		id = f.Package.Name + "@" + f.Package.Version + ":" + f.Package.Path
	}
	return f.ID + "+" + id
}

// Gather fills the facts of in the rules need from the vulnerability data:
// publication dates, fix dates, the distribution's won't-fix marks and the
// ecosystems no advisory covers.
func Gather(ctx context.Context, s Store, in *gate.Input, need Needs) error {
	g := gatherer{s: s, records: map[string]*vulndb.Vulnerability{}, seen: map[string]map[string]time.Time{}}
	if need.Published {
		in.Published = map[string]time.Time{}
	}
	if need.FixDates {
		in.FixDates = map[string]time.Time{}
	}
	if need.Vendor {
		in.WontFix = map[string]bool{}
	}
	for i := range in.Findings {
		f := &in.Findings[i]
		if err := g.finding(ctx, f, in, need); err != nil {
			return err
		}
	}
	if need.Coverage {
		var err error
		if in.Uncovered, err = uncovered(ctx, s, in); err != nil {
			return err
		}
	}
	return nil
}

type gatherer struct {
	s       Store
	records map[string]*vulndb.Vulnerability
	seen    map[string]map[string]time.Time
}

func (g *gatherer) record(ctx context.Context, id string) (*vulndb.Vulnerability, error) {
	if r, ok := g.records[id]; ok {
		return r, nil
	}
	r, err := g.s.Record(ctx, id)
	if err != nil && !errors.Is(err, vulndb.ErrNotFound) {
		return nil, fmt.Errorf("vulnerability facts of %s: %w", id, err)
	}
	g.records[id] = r
	return r, nil
}

func (g *gatherer) finding(ctx context.Context, f *match.Finding, in *gate.Input, need Needs) error {
	key := Key(f)
	for _, e := range f.Evidence {
		vendorEntry := need.Vendor && osEcosystem(e.Ecosystem)
		fixEntry := need.FixDates && f.FixState == match.Fixed
		if !need.Published && !vendorEntry && !fixEntry {
			continue
		}
		rec, err := g.record(ctx, e.Record)
		if err != nil {
			return err
		}
		if rec == nil {
			continue
		}
		if need.Published && rec.Published != nil {
			if t, ok := in.Published[f.ID]; !ok || rec.Published.Before(t) {
				in.Published[f.ID] = rec.Published.Time
			}
		}
		if vendorEntry && wontFix(rec, e) {
			in.WontFix[key] = true
		}
		if fixEntry {
			t, ok, err := g.fixDate(ctx, rec, f)
			if err != nil {
				return err
			}
			if old, seen := in.FixDates[key]; ok && (!seen || t.Before(old)) {
				in.FixDates[key] = t
			}
		}
	}
	return nil
}

// fixDate dates the fix of f that rec names: when an update of the database
// first saw the fixed version added to the record, else (the record carried it
// when first stored) the record's publication, else its modification.
func (g *gatherer) fixDate(ctx context.Context, rec *vulndb.Vulnerability, f *match.Finding) (time.Time, bool, error) {
	fixes := f.FixedVersions
	if f.NearestFix != "" {
		fixes = []string{f.NearestFix}
	}
	names := fixedIn(rec)
	var hit []string
	for _, v := range fixes {
		if names[v] {
			hit = append(hit, v)
		}
	}
	if len(hit) == 0 {
		return time.Time{}, false, nil
	}
	seen, ok := g.seen[rec.ID]
	if !ok {
		var err error
		if seen, err = g.s.FixSeen(ctx, rec.ID); err != nil {
			return time.Time{}, false, err
		}
		g.seen[rec.ID] = seen
	}
	var out time.Time
	for _, v := range hit {
		t, ok := seen[v]
		if !ok {
			t = rec.Modified.Time
			if rec.Published != nil {
				t = rec.Published.Time
			}
		}
		if out.IsZero() || t.Before(out) {
			out = t
		}
	}
	return out, true, nil
}

func fixedIn(rec *vulndb.Vulnerability) map[string]bool {
	out := map[string]bool{}
	for _, a := range rec.Affected {
		for _, r := range a.Ranges {
			for _, e := range r.Events {
				if e.Fixed != "" {
					out[e.Fixed] = true
				}
			}
		}
	}
	return out
}

// osEcosystems are the OSV ecosystems of distributions, whose entries may
// carry the vendor's own status.
var osEcosystems = []string{"Debian", "Ubuntu", "Alpine", "Rocky Linux", "AlmaLinux", "Red Hat", "SUSE", "openSUSE", "Wolfi", "Chainguard", "Amazon Linux"}

func osEcosystem(eco string) bool { return slices.Contains(osEcosystems, vulndb.BaseEcosystem(eco)) }

// wontFixMarks are the statuses by which distributions say they will not fix a
// vulnerability in a release: Debian's security tracker (no-dsa, with reason
// ignored or postponed), Ubuntu's (ignored, deferred), Red Hat's (Will not fix,
// Fix deferred, Out of support scope).
var wontFixMarks = []string{"ignored", "postponed", "deferred", "will not fix", "won't fix", "wont-fix", "wontfix", "fix deferred", "out of support scope", "end-of-life"}

// wontFix reports whether the record's entry for the evidence's package
// carries the distribution's won't-fix status in its ecosystem_specific or
// database_specific object: a no-dsa key, or a status-like value above.
func wontFix(rec *vulndb.Vulnerability, e match.MatchEvidence) bool {
	eco := vulndb.NormalizeEcosystem(e.Ecosystem)
	for _, a := range rec.Affected {
		if vulndb.NormalizeEcosystem(a.Package.Ecosystem) != eco || vulndb.NormalizeName(eco, a.Package.Name) != vulndb.NormalizeName(eco, e.Name) {
			continue
		}
		if marked(a.EcosystemSpecific) || marked(a.DatabaseSpecific) {
			return true
		}
	}
	return false
}

func marked(raw json.RawMessage) bool {
	var m map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return false
	}
	for k, v := range m {
		switch strings.ToLower(strings.ReplaceAll(k, "_", "-")) {
		case "nodsa", "no-dsa":
			if s, ok := v.(string); !ok || s != "" {
				return true
			}
		}
		if s, ok := v.(string); ok && slices.Contains(wontFixMarks, strings.ToLower(strings.TrimSpace(s))) {
			return true
		}
	}
	return false
}

// uncovered lists the ecosystems the image needs that no advisory covers: the
// distribution's, when it has OS packages, and each language ecosystem.
func uncovered(ctx context.Context, s Store, in *gate.Input) ([]string, error) {
	need := map[string]bool{}
	var order []string
	add := func(eco string) {
		if !need[eco] {
			need[eco] = true
			order = append(order, eco)
		}
	}
	for _, p := range in.Packages() {
		if p.Type.IsOS() {
			if eco, ok := match.OSEcosystem(in.Distro); ok {
				add(eco)
			} else {
				add(distroNamespace(in))
			}
			continue
		}
		if eco, ok := match.LanguageEcosystem(p.Type); ok {
			add(eco)
		}
	}
	var out []string
	for _, eco := range order {
		has, err := s.HasEcosystem(ctx, eco)
		if err != nil {
			return nil, err
		}
		if !has {
			out = append(out, eco)
		}
	}
	return out, nil
}

// distroNamespace names the image's distribution as Anchore did: "debian:12".
func distroNamespace(in *gate.Input) string {
	if in.Distro == nil {
		return "unknown"
	}
	return in.Distro.ID + ":" + in.Distro.VersionID
}
