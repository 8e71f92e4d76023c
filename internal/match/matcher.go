package match

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/slab"
	"github.com/plimsoll/plimsoll/internal/version"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// Store is the advisory lookup the matcher needs; *vulndb.DB provides it.
type Store interface {
	// EachAffected calls fn with each affected entry for (ecosystem, name),
	// in any order; fn keeps what it needs of an entry by copying it.
	EachAffected(ctx context.Context, ecosystem, name string, fn func(*vulndb.AffectedEntry) error) error
	// BriefsOf returns the briefs of many records at once, keyed by the
	// entries' Record.
	BriefsOf(ctx context.Context, refs []vulndb.RecordRef) (map[vulndb.RecordRef]*vulndb.Brief, error)
}

var _ Store = (*vulndb.DB)(nil)

// Options change what is matched.
type Options struct {
	// MatchOSOwned also matches a language package that an OS package owns
	// against its language ecosystem. By default only the distribution's
	// advisories judge it: Debian's patched Django is not vulnerable because PyPI
	// data says its upstream version is.
	MatchOSOwned bool
}

// Result is what matching found.
type Result struct {
	// Findings are ordered by package type, name, version and path, then by
	// display id, then by layer and package id.
	Findings []Finding `json:"findings"`
	Warnings []string  `json:"warnings,omitempty"`
}

// PackageRef identifies the package a finding is about and where it is.
type PackageRef struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Version      string    `json:"version"`
	Type         sbom.Type `json:"type"`
	PURL         string    `json:"purl,omitempty"`
	Path         string    `json:"path,omitempty"`
	Layer        int       `json:"layer"`
	DiffID       string    `json:"diffID,omitempty"`
	IntroducedBy int       `json:"introducedBy"`
}

// Fix states.
const (
	Fixed    = "fixed"
	NotFixed = "not-fixed"
	// WontFix is a vulnerability with no fix that the distribution has said it
	// will not fix in this release (Debian's no-dsa, ignored or postponed;
	// Ubuntu's deferred; Red Hat's "Will not fix").
	WontFix = "wont-fix"
)

// Finding is one vulnerability in one package at one location, its advisories
// (aliases merged) and the evidence that matched.
type Finding struct {
	ID            string            `json:"id"` // the CVE where there is one
	Aliases       []string          `json:"aliases,omitempty"`
	Package       PackageRef        `json:"package"`
	Ecosystem     string            `json:"ecosystem"`
	FixState      string            `json:"fixState"`
	FixedVersions []string          `json:"fixedVersions,omitempty"`
	NearestFix    string            `json:"nearestFix,omitempty"`
	Summary       string            `json:"summary,omitempty"`
	References    []string          `json:"references,omitempty"`
	Severity      []vulndb.Severity `json:"vectors,omitempty"` // vectors from the records and entries
	// OSOwned marks a language package owned by an OS package, matched in its
	// language ecosystem because Options.MatchOSOwned asked for it.
	OSOwned  bool            `json:"osOwned,omitempty"`
	Evidence []MatchEvidence `json:"evidence"`

	// Set by Enrich.
	SeverityLevel  string  `json:"severity"`                 // unknown, negligible, low, medium, high, critical
	CVSS           *Score  `json:"cvss,omitempty"`           // computed from the best vector
	DistroSeverity string  `json:"distroSeverity,omitempty"` // the distribution's own rating
	Exploit        Exploit `json:"exploit"`
}

// MatchEvidence is one advisory entry that matched: which record, looked up how,
// and which range decided.
type MatchEvidence struct {
	Record    string `json:"record"`
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`    // the name looked up (an OS package's source package)
	Version   string `json:"version"` // the version tested
	Evidence
}

// Matcher matches SBOM packages against an advisory store.
type Matcher struct {
	store Store
	opts  Options
}

// New returns a matcher over store.
func New(store Store, opts Options) *Matcher { return &Matcher{store: store, opts: opts} }

// Match finds the advisories that affect the SBOM's packages.
func (m *Matcher) Match(ctx context.Context, doc *sbom.SBOM) (*Result, error) {
	r := &run{m: m}
	osEco, osOK := OSEcosystem(doc.Distro)
	owned := map[string]bool{}
	for _, rel := range doc.Relationships {
		if rel.Type == sbom.Owns {
			owned[rel.To] = true
		}
	}
	// First every package's hits, then one read of the briefs of every record
	// that hit, then the findings: a scan touches thousands of records, and one
	// query for all of them costs less than one per record.
	unmatchedOS := 0
	var eligible []*sbom.Package
	for i := range doc.Packages {
		p := &doc.Packages[i]
		if p.Type.IsOS() && !osOK {
			unmatchedOS++
			continue
		}
		if owned[p.ID] && !m.opts.MatchOSOwned {
			continue
		}
		eligible = append(eligible, p)
	}
	results, err := m.matchAll(ctx, osEco, eligible)
	if err != nil {
		return nil, err
	}
	var matched []packageHits
	for i, res := range results {
		r.warnings = append(r.warnings, res.warnings...)
		if len(res.hits) > 0 {
			p := eligible[i]
			matched = append(matched, packageHits{p: p, hits: res.hits, owned: owned[p.ID]})
		}
	}
	if err := r.readBriefs(ctx, matched); err != nil {
		return nil, err
	}
	// Findings come out in Result's order: packages sorted, then within each
	// run of packages equal in comparePackages, the vulnerabilities by display
	// id (then layer and package id). Sorting thousands of findings at once
	// compared the same package fields over and over, and swapped findings of
	// hundreds of bytes.
	slices.SortStableFunc(matched, func(a, b packageHits) int { return comparePackages(a.p, b.p) })
	findings := r.buildFindings(matched)
	if unmatchedOS > 0 {
		r.warn(fmt.Sprintf("distribution %s is not covered by the vulnerability data; its %d OS packages were not matched", distroName(doc.Distro), unmatchedOS))
	}
	return &Result{Findings: findings, Warnings: r.warnings}, nil
}

func distroName(d *sbom.Distro) string {
	if d == nil {
		return "(unknown: no os-release)"
	}
	return strings.TrimSpace(d.ID + " " + d.VersionID)
}

// run is the state of one Match call, or of one of its worker goroutines:
// evaluations are shared by query, since many binary packages share one source
// package, and briefs by record, since many findings share one.
type run struct {
	m        *Matcher
	osEco    string
	evals    *evaluations
	briefs   map[vulndb.RecordRef]*vulndb.Brief
	warnings []string
	grouping grouping
	parsed   parseCache // event versions parsed so far, by this worker
	// Scratch and slabs of appendFindings: a finding's aliases and evidence
	// are cut from slabs, not allocated one list at a time.
	ids          []string
	aliasFree    []string
	evidenceFree []MatchEvidence
}

// packageResult is what matching one package gave.
type packageResult struct {
	hits     []hit
	warnings []string
	err      error
}

// matchAll matches the packages on up to GOMAXPROCS goroutines (at most 4),
// sharing their evaluations, each with its own parse cache, and returns the
// results in the packages' order, so the output does not depend on the
// scheduling.
func (m *Matcher) matchAll(ctx context.Context, osEco string, pkgs []*sbom.Package) ([]packageResult, error) {
	results := make([]packageResult, len(pkgs))
	workers := min(runtime.GOMAXPROCS(0), 4, len(pkgs))
	var next atomic.Int64
	var wg sync.WaitGroup
	shared := &evaluations{m: map[query]*evaluation{}}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wr := &run{m: m, osEco: osEco, evals: shared, parsed: parseCache{}}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(pkgs) || ctx.Err() != nil {
					return
				}
				hits, err := wr.matchPackage(ctx, pkgs[i])
				results[i] = packageResult{hits: hits, warnings: wr.warnings, err: err}
				wr.warnings = nil
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, res := range results {
		if res.err != nil {
			return nil, res.err
		}
	}
	return results, nil
}

// briefs reads the briefs of many records, in two concurrent queries when
// there are thousands: each is a seek per record, and SQLite serves readers
// on separate connections in parallel.
func (m *Matcher) briefs(ctx context.Context, refs []vulndb.RecordRef) (map[vulndb.RecordRef]*vulndb.Brief, error) {
	if len(refs) < 2000 || runtime.GOMAXPROCS(0) < 2 {
		return m.store.BriefsOf(ctx, refs)
	}
	half := len(refs) / 2
	var other map[vulndb.RecordRef]*vulndb.Brief
	var otherErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		other, otherErr = m.store.BriefsOf(ctx, refs[half:])
	}()
	out, err := m.store.BriefsOf(ctx, refs[:half])
	<-done
	if err = cmp.Or(err, otherErr); err != nil {
		return nil, err
	}
	maps.Copy(out, other)
	return out, nil
}

// packageHits are the advisory entries that matched one package.
type packageHits struct {
	p     *sbom.Package
	hits  []hit
	owned bool
}

func (r *run) warn(s string) { r.warnings = append(r.warnings, s) }

// hit is one matched advisory entry for a package.
type hit struct {
	id       string            // the record's id
	ref      vulndb.RecordRef  // and its row
	severity []vulndb.Severity // the entry's own vectors
	wontFix  bool              // the distribution marked the entry won't-fix
	rank     uint8             // the query's place among its package's (set on the package's copy)
	q        *query            // the evaluation's, shared by its hits
	evidence Evidence
	fixed    []string // the verdict's
	nearest  string
}

func (r *run) matchPackage(ctx context.Context, p *sbom.Package) ([]hit, error) {
	var evs []*evaluation
	n := 0
	for _, q := range queries(p, r.osEco) {
		scheme, ok := version.ForEcosystem(q.ecosystem)
		if !ok {
			continue
		}
		ev := r.evaluate(ctx, q, scheme)
		if ev.err != nil {
			return nil, ev.err
		}
		if ev.unparsable != nil {
			r.warn(fmt.Sprintf("%s %s (%s): %v; not matched", p.Name, p.Version, p.Type, ev.unparsable))
			continue
		}
		r.warnings = append(r.warnings, ev.warnings...)
		evs = append(evs, ev)
		n += len(ev.hits)
	}
	if len(evs) == 1 {
		// Shared with every package that asks the same query; nothing
		// downstream modifies hits, and the clip keeps an append from writing
		// into the evaluation's array.
		return slices.Clip(evs[0].hits), nil
	}
	hits := make([]hit, 0, n)
	for i, ev := range evs {
		for _, h := range ev.hits {
			h.rank = uint8(min(i, 255))
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// evaluations are the queries evaluated so far, shared by the workers: the
// binary packages of one source package (glibc, systemd, openssl…) ask the
// same query, and each is read and evaluated once, by the first worker to ask;
// the others wait for it.
type evaluations struct {
	mu sync.Mutex
	m  map[query]*evaluation
}

// evaluation is what one query gave.
type evaluation struct {
	done chan struct{} // closed when the rest is set
	q    query
	hits []hit
	// warnings are the entries whose ranges could not be evaluated; every
	// package that asks reports them.
	warnings []string
	// unparsable is set when there are entries but the version does not parse
	// under the ecosystem's scheme.
	unparsable error
	err        error
}

// errStop ends a read early.
var errStop = errors.New("stop")

// evaluate tests q's version against every entry for q's package, keeping
// only the entries that match: a scan reads thousands that do not.
func (r *run) evaluate(ctx context.Context, q query, scheme version.Scheme) *evaluation {
	c := r.evals
	c.mu.Lock()
	ev, ok := c.m[q]
	if !ok {
		ev = &evaluation{done: make(chan struct{}), q: q}
		c.m[q] = ev
	}
	c.mu.Unlock()
	if ok {
		<-ev.done
		return ev
	}
	defer close(ev.done)
	var in *installed
	var warned []warning
	err := r.m.store.EachAffected(ctx, q.ecosystem, q.name, func(e *vulndb.AffectedEntry) error {
		if in == nil {
			var err error
			if in, err = parseInstalled(scheme, q.version); err != nil {
				ev.unparsable = err
				return errStop
			}
			in.useCache(r.parsed)
			in.missesUnlisted = true
		}
		v, err := in.evaluate(e.Affected)
		if err != nil && !v.Affected {
			warned = append(warned, warning{e.ID, fmt.Sprintf("%s: %s: %v; that range was not evaluated", e.ID, q.name, err)})
		}
		if v.Affected {
			// What the finding needs of the entry, copied: the store reuses
			// *e's arrays for the next entry. Fixed is the verdict's own.
			evidence := v.Evidence
			evidence.Events = slices.Clone(evidence.Events)
			if len(ev.hits) == cap(ev.hits) {
				// Doubled: append grows a long slice by a quarter at a time,
				// allocating five times its final size, for thousands of hits.
				ev.hits = slices.Grow(ev.hits, max(8, len(ev.hits)))
			}
			ev.hits = append(ev.hits, hit{id: e.ID, ref: e.Record, severity: slices.Clone(e.Affected.Severity), wontFix: q.os && vendorWontFix(&e.Affected),
				q: &ev.q, evidence: evidence, fixed: v.Fixed, nearest: v.Nearest})
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		ev.err = fmt.Errorf("match: %w", err)
	}
	// By id, then the entry's place in its record: the store's order of
	// records is its own.
	slices.SortStableFunc(warned, func(a, b warning) int { return strings.Compare(a.id, b.id) })
	for _, w := range warned {
		ev.warnings = append(ev.warnings, w.msg)
	}
	return ev
}

// warning is a record's warning, kept with its id to be sorted by it.
type warning struct{ id, msg string }

// readBriefs reads the brief of every record that hit, in one query.
func (r *run) readBriefs(ctx context.Context, matched []packageHits) error {
	refs := make([]vulndb.RecordRef, 0, hitsIn(matched))
	for _, ph := range matched {
		for _, h := range ph.hits {
			refs = append(refs, h.ref)
		}
	}
	slices.Sort(refs) // the order the query wants: BriefsOf need not copy them
	refs = slices.Compact(refs)
	briefs, err := r.m.briefs(ctx, refs)
	if err != nil {
		return fmt.Errorf("match: %w", err)
	}
	for _, ph := range matched {
		for _, h := range ph.hits {
			switch b := briefs[h.ref]; {
			case b == nil:
				// The affected row's record is gone: the database is inconsistent.
				return fmt.Errorf("match: record %s: %w", h.id, vulndb.ErrNotFound)
			case b.ID != h.id:
				// Its row now holds another record: an update deleted it and
				// stored another, or imported a bundle, between the reads.
				return fmt.Errorf("match: record %s: its row holds %s now: the database changed during the scan, or is inconsistent (scan again)", h.id, b.ID)
			}
		}
	}
	r.briefs = briefs
	return nil
}

// appendIdentifiers appends the ids that name the same vulnerability as a
// record: its own, its aliases, and its upstream id when it has exactly one. A
// record with several upstream ids (a DSA covering three CVEs) is not the same
// vulnerability as each of them: merging through it would fold distinct CVEs
// into one finding, and an ignore rule or VEX statement for one would silence
// the others.
func appendIdentifiers(ids []string, v *vulndb.Brief) []string {
	ids = append(ids, v.ID)
	ids = append(ids, v.Aliases...)
	if len(v.Upstream) == 1 {
		ids = append(ids, v.Upstream[0])
	}
	return ids
}

// groupByVulnerability merges hits whose records share any identifier, so one
// vulnerability known as a CVE, a GHSA and a DSA is one finding. The groups
// are in the order of their first hit; a group of one is a slice of hits, and
// groups of several share a new array, so they may be reordered.
func (r *run) groupByVulnerability(hits []hit) [][]hit {
	g := &r.grouping
	g.parent = g.parent[:0]
	for i := range hits {
		g.parent = append(g.parent, i)
	}
	parent := g.parent
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// A map sized for this package: one kept from the largest package spreads
	// a small package's ids over memory the cache does not hold.
	g.owner = make(map[string]int, 3*len(hits))
	for i, h := range hits {
		g.ids = appendIdentifiers(g.ids[:0], r.briefs[h.ref])
		for _, id := range g.ids {
			if j, ok := g.owner[id]; ok {
				parent[find(i)] = find(j)
			} else {
				g.owner[id] = i
			}
		}
	}
	// Count each group, then lay the groups out in one array.
	g.size = append(g.size[:0], make([]int, len(hits))...)
	var roots []int
	for i := range hits {
		root := find(i)
		if g.size[root] == 0 {
			roots = append(roots, root)
		}
		g.size[root]++
	}
	if len(roots) == len(hits) { // no merges: the common case
		out := make([][]hit, len(hits))
		for i := range hits {
			out[i] = hits[i : i+1 : i+1]
		}
		return out
	}
	flat := make([]hit, len(hits))
	out := make([][]hit, len(roots))
	off := 0
	for k, root := range roots {
		n := g.size[root]
		out[k] = flat[off : off : off+n] // filled below, within its own capacity
		g.size[root] = k                 // from here on, the root's group number
		off += n
	}
	for i, h := range hits {
		k := g.size[find(i)]
		out[k] = append(out[k], h)
	}
	return out
}

// grouping is groupByVulnerability's scratch space, kept between packages.
type grouping struct {
	parent, size []int
	owner        map[string]int
	ids          []string
}

// buildFindings turns the sorted packages' hits into findings, in order. The
// packages are split into up to two contiguous chunks of about equal hits,
// built side by side.
func (r *run) buildFindings(matched []packageHits) []Finding {
	total := hitsIn(matched)
	cut := len(matched) // where the second chunk starts
	if runtime.GOMAXPROCS(0) > 1 && total >= 1000 {
		n := 0
		for i, ph := range matched {
			if n += len(ph.hits); 2*n >= total {
				cut = i + 1
				break
			}
		}
		// Keep a run of packages equal in comparePackages in one chunk.
		for cut < len(matched) && comparePackages(matched[cut-1].p, matched[cut].p) == 0 {
			cut++
		}
	}
	var second []Finding
	var wg sync.WaitGroup
	if cut < len(matched) {
		wg.Go(func() {
			wr := &run{m: r.m, briefs: r.briefs}
			second = wr.appendFindings(make([]Finding, 0, hitsIn(matched[cut:])), matched[cut:])
		})
	}
	// At most one finding per hit: growing a slice of thousands of findings
	// costs more than the unused tail.
	out := r.appendFindings(make([]Finding, 0, total), matched[:cut])
	wg.Wait()
	return append(out, second...)
}

// hitsIn counts the packages' hits: an upper bound of their findings.
func hitsIn(matched []packageHits) int {
	n := 0
	for _, ph := range matched {
		n += len(ph.hits)
	}
	return n
}

// vulnGroup is the hits of one vulnerability in one package, with the ids
// that name it.
type vulnGroup struct {
	ph      *packageHits
	hits    []hit
	id      string
	aliases []string
}

// appendFindings appends the findings of the sorted packages to out.
func (r *run) appendFindings(out []Finding, matched []packageHits) []Finding {
	var groups []vulnGroup
	var order []int32
	for i := 0; i < len(matched); {
		j := i + 1
		for j < len(matched) && comparePackages(matched[i].p, matched[j].p) == 0 {
			j++
		}
		groups = slices.Grow(groups[:0], hitsIn(matched[i:j])) // at most one group per hit
		for k := range matched[i:j] {
			ph := &matched[i+k]
			for _, hits := range r.groupByVulnerability(ph.hits) {
				r.ids = r.ids[:0]
				for _, h := range hits {
					r.ids = appendIdentifiers(r.ids, r.briefs[h.ref])
				}
				id, aliases := r.displayID(r.ids)
				groups = append(groups, vulnGroup{ph: ph, hits: hits, id: id, aliases: aliases})
			}
		}
		// Sort positions: a group is 72 bytes to swap.
		order = slices.Grow(order[:0], len(groups))
		for k := range groups {
			order = append(order, int32(k))
		}
		slices.SortFunc(order, func(x, y int32) int {
			a, b := &groups[x], &groups[y]
			if c := strings.Compare(a.id, b.id); c != 0 || a.ph == b.ph {
				return c
			}
			pa, pb := a.ph.p, b.ph.p
			return cmp.Or(cmp.Compare(firstLayer(pa), firstLayer(pb)), cmp.Compare(pa.ID, pb.ID))
		})
		for _, k := range order {
			out = append(out, Finding{})
			r.finding(&out[len(out)-1], groups[k])
		}
		i = j
	}
	return out
}

// finding fills in f from the hits of one vulnerability.
func (r *run) finding(f *Finding, g vulnGroup) {
	hits := g.hits
	if len(hits) > 1 {
		// The summary, references and fixed versions come from the hits in
		// the order of the package's queries (source package, then binary),
		// then by id, then by the entry's place in its record, which the
		// store's order keeps (its order of records is its own). The group's
		// array is its own.
		slices.SortStableFunc(hits, func(a, b hit) int {
			return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.id, b.id))
		})
	}
	*f = Finding{ID: g.id, Aliases: g.aliases, Package: packageRef(g.ph.p), Ecosystem: hits[0].q.ecosystem, FixState: NotFixed, OSOwned: g.ph.owned}
	wontFix := false
	scheme, _ := version.ForEcosystem(f.Ecosystem)
	nsev := 0
	for _, h := range hits {
		nsev += len(r.briefs[h.ref].Severity) + len(h.severity)
	}
	f.Severity = make([]vulndb.Severity, 0, nsev)
	f.Evidence = slab.Cut(&r.evidenceFree, len(hits), 1024)[:0]
	if len(hits) == 1 {
		// One record: its reference URLs and the verdict's fixed versions
		// have no repeats, and are shared (clipped, so an append copies)
		// rather than copied: findings are read, never modified in place.
		f.FixedVersions = slices.Clip(hits[0].fixed)
		f.References = slices.Clip(r.briefs[hits[0].ref].References)
	}
	for _, h := range hits {
		rec := r.briefs[h.ref]
		if f.Summary == "" {
			f.Summary = rec.Summary
		}
		f.Severity = append(f.Severity, rec.Severity...)
		f.Severity = append(f.Severity, h.severity...)
		if len(hits) > 1 {
			for _, ref := range rec.References {
				if !slices.Contains(f.References, ref) {
					f.References = append(f.References, ref)
				}
			}
			for _, fx := range h.fixed {
				if !slices.Contains(f.FixedVersions, fx) {
					f.FixedVersions = append(f.FixedVersions, fx)
				}
			}
		}
		if n := h.nearest; n != "" && (f.NearestFix == "" || compare(scheme, n, f.NearestFix) < 0) {
			f.NearestFix = n
		}
		if h.wontFix {
			wontFix = true
		}
		f.Evidence = append(f.Evidence, MatchEvidence{Record: h.id, Ecosystem: h.q.ecosystem, Name: h.q.name, Version: h.q.version, Evidence: h.evidence})
	}
	switch {
	case f.NearestFix != "":
		f.FixState = Fixed
	case wontFix:
		f.FixState = WontFix
	}
	slices.SortFunc(f.Severity, func(a, b vulndb.Severity) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Score, b.Score))
	})
	f.Severity = slices.Compact(f.Severity)
	slices.SortFunc(f.Evidence, func(a, b MatchEvidence) int { return cmp.Compare(a.Record, b.Record) })
}

// displayID picks the CVE where one exists (the lowest), else the lowest id, and
// returns the rest as aliases, cut from the run's slab. It sorts ids in place.
func (r *run) displayID(ids []string) (string, []string) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	d := 0
	for i, id := range ids {
		if strings.HasPrefix(id, "CVE-") {
			d = i
			break
		}
	}
	display := ids[d]
	if len(ids) == 1 {
		return display, nil
	}
	aliases := slab.Cut(&r.aliasFree, len(ids)-1, 1024)
	n := copy(aliases, ids[:d])
	copy(aliases[n:], ids[d+1:])
	return display, aliases
}

func packageRef(p *sbom.Package) PackageRef {
	ref := PackageRef{ID: p.ID, Name: p.Name, Version: p.Version, Type: p.Type, PURL: p.PURL, IntroducedBy: p.IntroducedBy}
	if len(p.Locations) > 0 {
		ref.Path, ref.Layer, ref.DiffID = p.Locations[0].Path, p.Locations[0].Layer, p.Locations[0].DiffID
	}
	return ref
}

// comparePackages orders packages as Result's findings are ordered.
func comparePackages(a, b *sbom.Package) int {
	return cmp.Or(
		cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Version, b.Version),
		cmp.Compare(firstPath(a), firstPath(b)),
	)
}

// firstLayer is the layer packageRef reports.
func firstLayer(p *sbom.Package) int {
	if len(p.Locations) > 0 {
		return p.Locations[0].Layer
	}
	return 0
}

// firstPath is the path packageRef reports.
func firstPath(p *sbom.Package) string {
	if len(p.Locations) > 0 {
		return p.Locations[0].Path
	}
	return ""
}
