package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/plimsoll/plimsoll/internal/match"
)

// WriteTable groups findings by severity, most severe first, with counts; with
// byLayer, by the layer that brought the package instead.
func WriteTable(w io.Writer, rep *Scan, byLayer, showSuppressed bool) error {
	fmt.Fprintf(w, "%s", rep.Source.Reference)
	if rep.Distro != nil {
		fmt.Fprintf(w, "  (%s %s)", rep.Distro.ID, rep.Distro.VersionID)
	}
	fmt.Fprintln(w)
	levels := []string{"critical", "high", "medium", "low", "negligible", "unknown"}
	var counts []string
	for _, l := range levels {
		counts = append(counts, fmt.Sprintf("%s %d", l, rep.Summary[l]))
	}
	fmt.Fprintf(w, "%d findings: %s", len(rep.Findings), strings.Join(counts, ", "))
	if len(rep.Ignored) > 0 {
		fmt.Fprintf(w, "; %d ignored", len(rep.Ignored))
	}
	if len(rep.Suppressed) > 0 {
		fmt.Fprintf(w, "; %d suppressed by VEX", len(rep.Suppressed))
	}
	fmt.Fprintln(w)
	allLayers := rep.Source.Scope == "all-layers"
	if allLayers {
		removed := 0
		for i := range rep.Findings {
			if !rep.Findings[i].InFinalImage() {
				removed++
			}
		}
		fmt.Fprintf(w, "scope all-layers: %d findings in packages that a later layer removed (SQUASHED no); they are in the image's layers, not in its final file system\n", removed)
	}
	groups, title := groupBySeverity(rep.Findings, levels), func(k string) string { return strings.ToUpper(k) }
	if byLayer {
		groups, title = groupByLayer(rep), func(k string) string { return k }
	}
	for _, g := range groups {
		fmt.Fprintf(w, "\n%s (%d)\n", title(g.key), len(g.findings))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		header := "ID\tSEVERITY\tPACKAGE\tVERSION\tFIX\tTYPE\tLAYER\tEPSS\tKEV\tPATH"
		if allLayers {
			header += "\tSQUASHED"
		}
		fmt.Fprintln(tw, header)
		for _, f := range g.findings {
			fix := f.NearestFix
			if fix == "" {
				fix = "(" + f.FixState + ")"
			}
			epss, kev := "", ""
			if f.Exploit.EPSS != nil {
				epss = fmt.Sprintf("%.3f", f.Exploit.EPSS.Score)
			}
			if f.Exploit.KnownExploited {
				kev = "yes"
			}
			sev := f.SeverityLevel
			if f.CVSS != nil {
				sev += fmt.Sprintf(" %.1f", f.CVSS.Base)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s", Line(f.ID, 0), sev, Line(f.Package.Name, 0), Line(f.Package.Version, 0),
				Line(fix, 0), f.Package.Type, f.Package.IntroducedBy, epss, kev, Line(f.Package.Path, 0))
			if allLayers {
				fmt.Fprintf(tw, "\t%s", squashedCell(&f))
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if showSuppressed && len(rep.Suppressed) > 0 {
		fmt.Fprintf(w, "\nSUPPRESSED BY VEX (%d)\n", len(rep.Suppressed))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPACKAGE\tVERSION\tSTATUS\tJUSTIFICATION\tSOURCE")
		for _, s := range rep.Suppressed {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", Line(s.ID, 0), Line(s.Package.Name, 0), Line(s.Package.Version, 0), Line(string(s.Statement.Status), 0), Line(s.Statement.Justification, 0), Line(s.Statement.Source, 0))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, r := range rep.ExpiredRules {
		fmt.Fprintf(w, "\nexpired ignore rule at %s (reason: %s)\n", r.Source, r.Reason)
	}
	if rep.FailOn != "" {
		verdict := "PASS"
		if rep.Failed {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "\n%s: --fail-on %s\n", verdict, rep.FailOn)
	}
	return nil
}

type findingGroup struct {
	key      string
	findings []Finding
}

func groupBySeverity(fs []Finding, levels []string) []findingGroup {
	var out []findingGroup
	for _, l := range levels {
		var g []Finding
		for _, f := range fs {
			if f.SeverityLevel == l {
				g = append(g, f)
			}
		}
		if len(g) > 0 {
			out = append(out, findingGroup{key: l, findings: g})
		}
	}
	return out
}

func groupByLayer(rep *Scan) []findingGroup {
	byLayer := map[int][]Finding{}
	var layers []int
	for _, f := range rep.Findings {
		l := f.Package.IntroducedBy
		if _, ok := byLayer[l]; !ok {
			layers = append(layers, l)
		}
		byLayer[l] = append(byLayer[l], f)
	}
	slices.Sort(layers)
	var out []findingGroup
	for _, l := range layers {
		key := fmt.Sprintf("LAYER %d", l)
		if l >= 0 && l < len(rep.Source.Layers) {
			key += "  " + Line(rep.Source.Layers[l].CreatedBy, 70)
		}
		fs := byLayer[l]
		slices.SortStableFunc(fs, func(a, b Finding) int {
			return match.SeverityRank(b.SeverityLevel) - match.SeverityRank(a.SeverityLevel)
		})
		out = append(out, findingGroup{key: key, findings: fs})
	}
	return out
}

// squashedCell says whether the final image holds a finding's package, and
// which layer removed it when not.
func squashedCell(f *Finding) string {
	switch {
	case f.InFinalImage():
		return "yes"
	case f.RemovedBy > 0:
		return fmt.Sprintf("no (removed by layer %d)", f.RemovedBy)
	}
	return "no"
}
