package match

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/plimsoll/plimsoll/internal/cvss"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// Severity levels, lowest first.
var severityOrder = []string{"unknown", "negligible", "low", "medium", "high", "critical"}

// SeverityRank orders a severity level; an unknown word ranks as "unknown".
func SeverityRank(level string) int {
	if i := slices.Index(severityOrder, strings.ToLower(level)); i >= 0 {
		return i
	}
	return 0
}

// ParseSeverity checks a severity level given by a user (--fail-on, --severity).
func ParseSeverity(s string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(severityOrder, l) {
		return "", fmt.Errorf("severity %q: want one of %s", s, strings.Join(severityOrder, ", "))
	}
	return l, nil
}

// Score is the CVSS assessment a finding's severity comes from.
type Score struct {
	Version string  `json:"version"` // "4.0", "3.1", "3.0", "2.0"
	Vector  string  `json:"vector"`
	Base    float64 `json:"baseScore"`
	Source  string  `json:"source"` // the record that carried the vector, or "nvd"
}

// Exploit is what EPSS and CISA KEV say about a finding's CVE.
type Exploit struct {
	EPSS           *vulndb.EPSS `json:"epss,omitempty"`
	KEV            *vulndb.KEV  `json:"kev,omitempty"`
	KnownExploited bool         `json:"knownExploited"`
}

// Enricher is the enrichment the vulnerability database holds; *vulndb.DB
// provides it.
type Enricher interface {
	// CVEInfo gives NVD's vectors, KEV and EPSS for many CVEs at once; the
	// records' own vectors are already in the findings.
	CVEInfo(ctx context.Context, cves []string) (map[string]*vulndb.CVEInfo, error)
}

var _ Enricher = (*vulndb.DB)(nil)

// Enrich sets each finding's CVSS score (computed from the best vector: v4, then
// v3.1, v3.0, v2), its severity level (the distribution's own rating where the
// advisory gives one, else the CVSS score's), EPSS and KEV. Every CVE is looked
// up once, all in one batch.
func Enrich(ctx context.Context, e Enricher, findings []Finding) error {
	// Thousands of findings: two halves side by side, for collecting their
	// CVEs and for scoring, each with its own memory of parsed vectors.
	half := len(findings) / 2
	if len(findings) < 1000 || runtime.GOMAXPROCS(0) < 2 {
		half = 0
	}
	var first []string
	var wg sync.WaitGroup
	wg.Go(func() { first = cvesOf(findings[:half]) })
	all := cvesOf(findings[half:])
	wg.Wait()
	all = mergeSorted(first, all) // in the order the queries want
	known, err := e.CVEInfo(ctx, all)
	if err != nil {
		return fmt.Errorf("enrich: %w", err)
	}
	wg.Go(func() { enrich(findings[:half], known) })
	enrich(findings[half:], known)
	wg.Wait()
	return nil
}

// cvesOf returns the findings' CVE ids, sorted, each once.
func cvesOf(findings []Finding) []string {
	var all, ids []string
	for i := range findings {
		ids = appendCVEs(ids[:0], &findings[i])
		all = append(all, ids...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// mergeSorted merges two sorted lists without repeats into one.
func mergeSorted(a, b []string) []string {
	if len(a) == 0 {
		return b
	}
	out := make([]string, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		switch c := strings.Compare(a[0], b[0]); {
		case c < 0:
			out, a = append(out, a[0]), a[1:]
		case c > 0:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// enrich sets the scores of findings from the records' vectors and known.
func enrich(findings []Finding, known map[string]*vulndb.CVEInfo) {
	parsed := map[string]*parsedVector{}
	var candidates []candidate // reused: best only reads it
	var ids []string
	for i := range findings {
		f := &findings[i]
		candidates = vectorsOf(candidates[:0], f)
		ids = appendCVEs(ids[:0], f)
		for _, cve := range ids {
			facts := known[cve]
			if facts == nil {
				continue
			}
			for _, v := range facts.NVD {
				candidates = append(candidates, candidate{vector: v.Vector, source: v.Source})
			}
			if facts.KEV != nil {
				f.Exploit.KEV, f.Exploit.KnownExploited = facts.KEV, true
			}
			if s := facts.EPSS; s != nil && (f.Exploit.EPSS == nil || s.Score > f.Exploit.EPSS.Score) {
				f.Exploit.EPSS = s
			}
		}
		f.CVSS = best(candidates, parsed)
		f.SeverityLevel = "unknown"
		if f.CVSS != nil {
			f.SeverityLevel = cvssLevel(f.CVSS)
		}
		if f.DistroSeverity != "" {
			f.SeverityLevel = f.DistroSeverity
		}
	}
}

type candidate struct{ vector, source string }

// vectorsOf collects the CVSS vectors the records carried, and the distribution's
// own rating (OSV's "Ubuntu" severity type).
func vectorsOf(out []candidate, f *Finding) []candidate {
	for _, s := range f.Severity {
		switch s.Type {
		case vulndb.SeverityCVSSv2, vulndb.SeverityCVSSv3, vulndb.SeverityCVSSv4:
			out = append(out, candidate{vector: s.Score, source: "advisory"})
		case vulndb.SeverityUbuntu:
			if l := strings.ToLower(s.Score); SeverityRank(l) > 0 {
				f.DistroSeverity = l
			}
		}
	}
	return out
}

// appendCVEs appends the finding's CVE ids, display id first.
func appendCVEs(out []string, f *Finding) []string {
	add := func(id string) {
		if strings.HasPrefix(id, "CVE-") && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	add(f.ID)
	for _, id := range f.Aliases {
		add(id)
	}
	return out
}

var versionPreference = []string{"4.0", "3.1", "3.0", "2.0"}

// best computes the score of the most recent CVSS version available; among
// vectors of one version the first that parses wins (advisories before NVD).
// Each vector is parsed once per Enrich call: thousands of findings share a
// few vectors.
func best(cs []candidate, parsed map[string]*parsedVector) *Score {
	var top *Score
	rank := len(versionPreference)
	for _, c := range cs {
		p, ok := parsed[c.vector]
		if !ok {
			p = &parsedVector{}
			if v, err := cvss.Parse(c.vector); err == nil {
				p.ok, p.version, p.vector, p.base = true, v.Version(), v.String(), v.BaseScore()
			}
			parsed[c.vector] = p
		}
		if !p.ok {
			continue
		}
		if r := slices.Index(versionPreference, p.version); r >= 0 && r < rank {
			rank, top = r, &Score{Version: p.version, Vector: p.vector, Base: p.base, Source: c.source}
		}
	}
	return top
}

// parsedVector is a CVSS vector's parse, remembered.
type parsedVector struct {
	ok              bool
	version, vector string
	base            float64
}

func cvssLevel(s *Score) string {
	switch {
	case s.Base >= 9.0:
		return "critical"
	case s.Base >= 7.0:
		return "high"
	case s.Base >= 4.0:
		return "medium"
	case s.Base > 0:
		return "low"
	}
	return "negligible"
}
