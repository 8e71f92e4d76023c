package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

func newPolicyDescribeCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "describe [GATE]",
		Short: "List every gate, trigger and parameter a policy rule may name",
		Long: `Describe the gates a policy rule may name, or one gate: each trigger, and each
parameter with its type (string, int, float, bool, enum with its values, list,
regexp, size), whether it is required, its default and what it does. Parameters
Anchore had that plimsoll accepts but does not evaluate yet are marked.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			return runPolicyDescribe(cmd.OutOrStdout(), name, format)
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "table", "table or json")
	return cmd
}

// gateDoc is the description of one gate, as -o json writes it.
type gateDoc struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Triggers    []triggerDoc `json:"triggers"`
}

type triggerDoc struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Params      []gate.Param `json:"params"`
}

// describeGates describes the gates, sorted by name, or only the one named.
func describeGates(name string) ([]gateDoc, error) {
	var all []string
	var out []gateDoc
	for _, g := range policy.Gates() {
		all = append(all, g.Name())
		if name != "" && !strings.EqualFold(name, g.Name()) {
			continue
		}
		gd := gateDoc{Name: g.Name(), Description: g.Description(), Triggers: []triggerDoc{}}
		for _, t := range g.Triggers() {
			ps := append([]gate.Param{}, t.Params()...)
			gd.Triggers = append(gd.Triggers, triggerDoc{Name: t.Name(), Description: t.Description(), Params: ps})
		}
		out = append(out, gd)
	}
	if len(out) == 0 {
		slices.Sort(all)
		return nil, fmt.Errorf("gate %q is unknown (gates: %s)", name, strings.Join(all, ", "))
	}
	slices.SortFunc(out, func(a, b gateDoc) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func runPolicyDescribe(w io.Writer, name, format string) error {
	if format != "table" && format != "json" {
		return fmt.Errorf("output format %q is not supported here (supported: table, json)", format)
	}
	docs, err := describeGates(name)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(docs)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, g := range docs {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "GATE %s\t%s\n", g.Name, g.Description)
		for _, t := range g.Triggers {
			fmt.Fprintf(tw, "  TRIGGER %s\t%s\n", t.Name, t.Description)
			for _, p := range t.Params {
				fmt.Fprintf(tw, "    %s\t%s\n", p.Name, paramSummary(p))
			}
		}
	}
	return tw.Flush()
}

// paramSummary is one parameter's type, requirement, default and description.
func paramSummary(p gate.Param) string {
	typ := string(p.Type)
	if p.Type == gate.Enum {
		typ += " (" + strings.Join(p.Enum, "|") + ")"
	}
	parts := []string{typ}
	if p.Required {
		parts = append(parts, "required")
	}
	if p.Default != "" {
		parts = append(parts, "default "+p.Default)
	}
	desc := p.Description
	if p.Unsupported {
		desc += " [accepted, not evaluated yet]"
	}
	return strings.Join(parts, ", ") + "; " + desc
}
