package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/plimsoll/plimsoll/internal/report"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// writeSBOMTable lists the packages, one a line, with the layer that introduced
// each and its primary location, then the warnings.
func writeSBOMTable(w io.Writer, doc *sbom.SBOM) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if d := doc.Distro; d != nil {
		fmt.Fprintf(tw, "Distro\t%s %s\n\n", d.ID, d.VersionID)
	}
	allLayers := doc.Source.Scope == "all-layers"
	header := "NAME\tVERSION\tTYPE\tLAYER\tLOCATION"
	if allLayers {
		header += "\tSQUASHED"
	}
	fmt.Fprintln(tw, header)
	removed := 0
	for _, p := range doc.Packages {
		loc := ""
		if len(p.Locations) > 0 {
			loc = p.Locations[0].Path
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s", report.Line(p.Name, 0), report.Line(p.Version, 0), p.Type, p.IntroducedBy, report.Line(loc, 0))
		if allLayers {
			sq := "yes"
			if !p.InFinalImage() {
				removed++
				sq = "no" // the evidence outlived the package: no layer removed it
				if p.RemovedBy > 0 {
					sq = fmt.Sprintf("no (removed by layer %d)", p.RemovedBy)
				}
			}
			fmt.Fprintf(tw, "\t%s", sq)
		}
		fmt.Fprintln(tw)
	}
	if allLayers {
		fmt.Fprintf(tw, "\n%d packages, %d of them removed by a later layer (scope all-layers)\n", len(doc.Packages), removed)
	} else {
		fmt.Fprintf(tw, "\n%d packages\n", len(doc.Packages))
	}
	if len(doc.Warnings) > 0 {
		fmt.Fprintf(tw, "\nWARNINGS (%d)\n", len(doc.Warnings))
		for _, wn := range doc.Warnings {
			fmt.Fprintln(tw, report.Line(wn.String(), 160))
		}
	}
	return tw.Flush()
}
