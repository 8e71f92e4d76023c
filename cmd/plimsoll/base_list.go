package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/trust/bases"
)

type baseListFlags struct {
	catalog string
	outputs []string
}

func newBaseListCommand() *cobra.Command {
	var f baseListFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the approved base images",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			outs, err := parseOutputs(f.outputs, []string{"table", "json"}, "table")
			if err != nil {
				return err
			}
			cat, err := loadCatalog(f.catalog, false)
			if err != nil {
				return err
			}
			return writeOutputs(cmd.OutOrStdout(), outs, func(w io.Writer, format string) error {
				if format == "json" {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(cat)
				}
				return writeBaseTable(w, cat)
			})
		},
	}
	registerCatalog(cmd, &f.catalog)
	cmd.Flags().StringArrayVarP(&f.outputs, "output", "o", nil, "report FORMAT[=FILE], repeatable: table, json")
	return cmd
}

func writeBaseTable(w io.Writer, cat *bases.Catalog) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tPLATFORM\tDIGEST\tLAYERS\tSIGNER\tADDED\tSUPERSEDED")
	for _, b := range cat.Bases {
		signer := b.Signer
		if signer == "" {
			signer = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%d\n", b.Reference, b.Platform, short(b.Digest),
			len(b.DiffIDs), short(signer), b.Added.Format(time.DateOnly), len(b.Superseded))
	}
	return tw.Flush()
}

type baseRemoveFlags struct {
	catalog  string
	platform string
}

func newBaseRemoveCommand() *cobra.Command {
	var f baseRemoveFlags
	cmd := &cobra.Command{
		Use:   "remove REFERENCE...",
		Short: "Remove approved bases (every platform unless --platform)",
		Long: `Remove the catalogue entries of each REFERENCE as list shows it (repository:tag,
repository@digest, or the local reference as given). It fails, changing nothing, when a
reference is not in the catalogue.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := loadCatalog(f.catalog, false)
			if err != nil {
				return err
			}
			for _, ref := range args {
				if cat.Remove(ref, f.platform) == 0 && cat.Remove(normalizeRef(ref), f.platform) == 0 {
					return fmt.Errorf("remove: %s (platform %q) is not in the catalogue %s", ref, f.platform, f.catalog)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "removed %s\n", ref)
			}
			return cat.Save(f.catalog)
		},
	}
	registerCatalog(cmd, &f.catalog)
	cmd.Flags().StringVar(&f.platform, "platform", "", "remove only this os/arch[/variant]")
	return cmd
}
