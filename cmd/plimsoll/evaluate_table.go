package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// writeEvaluationTable writes the results, the layers they name and the verdict.
func writeEvaluationTable(w io.Writer, ev *policy.Evaluation) error {
	id := ev.Image
	name := id.Reference
	if id.Repository != "" {
		name = fmt.Sprintf("%s/%s:%s", id.Registry, id.Repository, id.Tag)
	}
	fmt.Fprintf(w, "Image:    %s\n", name)
	fmt.Fprintf(w, "Bundle:   %s", ev.Bundle)
	if ev.BundleName != "" {
		fmt.Fprintf(w, " (%s)", ev.BundleName)
	}
	fmt.Fprintln(w)
	if ev.Mapping != "" || len(ev.Policies) > 0 {
		fmt.Fprintf(w, "Mapping:  %s  policies: %s  whitelists: %s\n", orDash(ev.Mapping), orDash(strings.Join(ev.Policies, ", ")), orDash(strings.Join(ev.Whitelists, ", ")))
	}
	fmt.Fprintln(w)
	if len(ev.Results) == 0 {
		fmt.Fprintln(w, "No trigger fired.")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "GATE\tTRIGGER\tLAYER\tACTION\tWHITELISTED\tTRIGGER ID\tDETAIL")
		for _, r := range ev.Results {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Gate, r.Trigger, layerCell(r.Layer), r.Action, allowCell(r.AllowedBy), r.TriggerID, r.Detail)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		writeLayerLegend(w, ev)
	}
	for _, warn := range ev.Warnings {
		fmt.Fprintf(w, "\nwarning: %s", warn)
	}
	if len(ev.Warnings) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nFinal action: %s (%s", ev.FinalAction, ev.Reason)
	if ev.ImageRule != "" {
		fmt.Fprintf(w, ": %s", ev.ImageRule)
	}
	_, err := fmt.Fprintln(w, ")")
	return err
}

func writeLayerLegend(w io.Writer, ev *policy.Evaluation) {
	type layer struct{ diffID, createdBy string }
	seen := map[int]layer{}
	var order []int
	for _, r := range ev.Results {
		if _, ok := seen[r.Layer]; ok || r.Layer == gate.NoLayer {
			continue
		}
		seen[r.Layer] = layer{r.DiffID, r.CreatedBy}
		order = append(order, r.Layer)
	}
	if len(order) == 0 {
		return
	}
	slices.Sort(order)
	fmt.Fprintln(w, "\nLayers:")
	for _, i := range order {
		l := seen[i]
		scope := ""
		if ev.BaseLayers >= 0 {
			scope = "application "
			if i < ev.BaseLayers {
				scope = "base "
			}
		}
		fmt.Fprintf(w, "  %d  %s%s  %s\n", i, scope, shortDigest(l.diffID), l.createdBy)
	}
}

func layerCell(l int) string {
	if l == gate.NoLayer {
		return "-"
	}
	return fmt.Sprint(l)
}

func allowCell(a *policy.AllowRef) string {
	switch {
	case a == nil:
		return "no"
	case a.Expired:
		return fmt.Sprintf("no (%s/%s expired)", a.Whitelist, a.Item)
	}
	return fmt.Sprintf("yes (%s/%s)", a.Whitelist, a.Item)
}

func shortDigest(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	return d
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
