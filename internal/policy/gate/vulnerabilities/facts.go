package vulnerabilities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// Store is the vulnerability data Gather reads; *vulndb.DB provides it.
type Store interface {
	Briefs(ctx context.Context, ids []string) (map[string]*vulndb.Brief, error)
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
// ecosystems no advisory covers. The records' briefs are read in one query.
func Gather(ctx context.Context, s Store, in *gate.Input, need Needs) error {
	if need.Vendor {
		// The matcher read the distribution's marks from the entry that matched.
		in.WontFix = map[string]bool{}
		for i := range in.Findings {
			if f := &in.Findings[i]; f.FixState == match.WontFix {
				in.WontFix[Key(f)] = true
			}
		}
	}
	if need.Published || need.FixDates {
		if err := dates(ctx, s, in, need); err != nil {
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

// dates fills in.Published (the earliest publication among a vulnerability's
// records) and in.FixDates (when the fix of each fixed finding became
// available).
func dates(ctx context.Context, s Store, in *gate.Input, need Needs) error {
	var ids []string
	wanted := map[string]bool{}
	for _, f := range in.Findings {
		if !need.Published && f.FixState != match.Fixed {
			continue
		}
		for _, e := range f.Evidence {
			if !wanted[e.Record] {
				wanted[e.Record] = true
				ids = append(ids, e.Record)
			}
		}
	}
	briefs, err := s.Briefs(ctx, ids)
	if err != nil {
		return fmt.Errorf("vulnerability facts: %w", err)
	}
	if need.Published {
		in.Published = map[string]time.Time{}
	}
	if need.FixDates {
		in.FixDates = map[string]time.Time{}
	}
	seen := map[string]map[string]time.Time{}
	for i := range in.Findings {
		f := &in.Findings[i]
		key := Key(f)
		for _, e := range f.Evidence {
			rec := briefs[e.Record]
			if rec == nil {
				continue
			}
			if need.Published && !rec.Published.IsZero() {
				if t, ok := in.Published[f.ID]; !ok || rec.Published.Before(t) {
					in.Published[f.ID] = rec.Published
				}
			}
			if !need.FixDates || f.FixState != match.Fixed {
				continue
			}
			t, ok, err := fixDate(ctx, s, seen, rec, e, f)
			if err != nil {
				return err
			}
			if old, had := in.FixDates[key]; ok && (!had || t.Before(old)) {
				in.FixDates[key] = t
			}
		}
	}
	return nil
}

// fixDate dates the fix of f that the evidence's record names: when an update
// of the database first saw the fixed version added to the record, else (the
// record carried it when first stored) the record's publication, else its
// modification.
func fixDate(ctx context.Context, s Store, cache map[string]map[string]time.Time, rec *vulndb.Brief, e match.MatchEvidence, f *match.Finding) (time.Time, bool, error) {
	fixes := f.FixedVersions
	if f.NearestFix != "" {
		fixes = []string{f.NearestFix}
	}
	var hit []string
	for _, ev := range e.Events {
		if ev.Fixed != "" && slices.Contains(fixes, ev.Fixed) {
			hit = append(hit, ev.Fixed)
		}
	}
	if len(hit) == 0 {
		return time.Time{}, false, nil
	}
	seen, ok := cache[rec.ID]
	if !ok {
		var err error
		if seen, err = s.FixSeen(ctx, rec.ID); err != nil {
			return time.Time{}, false, err
		}
		cache[rec.ID] = seen
	}
	var out time.Time
	for _, v := range hit {
		t, ok := seen[v]
		if !ok {
			t = rec.Modified
			if !rec.Published.IsZero() {
				t = rec.Published
			}
		}
		if out.IsZero() || t.Before(out) {
			out = t
		}
	}
	return out, true, nil
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
