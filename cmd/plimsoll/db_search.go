package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func newDBSearchCommand(opts *dbOptions) *cobra.Command {
	var outputs []string
	c := &cobra.Command{
		Use:   "search ID|PURL|ECOSYSTEM/NAME",
		Short: "Find advisories by id (aliases resolved) or for a package",
		Long: `Find advisories by id, alias or upstream id (GHSA-…, CVE-…, PYSEC-…), or every
advisory affecting a package, named by package URL (pkg:pypi/django) or as
ECOSYSTEM/NAME (PyPI/django, Debian:12/openssl, Go/github.com/lib/pq).
Exits 1 when nothing is found.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			specs, err := parseOutputs(outputs, []string{"table", "json"}, "table")
			if err != nil {
				return err
			}
			db, err := opts.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			q := args[0]
			eco, name, isPkg, err := dbPackageQuery(q)
			if err != nil {
				return err
			}
			if !isPkg {
				recs, err := db.Get(cmd.Context(), q)
				if errors.Is(err, vulndb.ErrNotFound) {
					return errFailed(fmt.Sprintf("no advisory %s", q))
				}
				if err != nil {
					return err
				}
				return writeOutputs(cmd.OutOrStdout(), specs, func(w io.Writer, format string) error {
					if format == "json" {
						return dbWriteJSON(w, recs)
					}
					return writeRecordTable(w, recs)
				})
			}
			entries, err := db.Affected(cmd.Context(), eco, name)
			if err != nil {
				return err
			}
			err = writeOutputs(cmd.OutOrStdout(), specs, func(w io.Writer, format string) error {
				if format == "json" {
					return dbWriteJSON(w, entries)
				}
				return writeEntryTable(w, entries)
			})
			if err == nil && len(entries) == 0 {
				return errFailed(fmt.Sprintf("no advisory affects %s/%s", vulndb.NormalizeEcosystem(eco), name))
			}
			return err
		},
	}
	c.Flags().StringArrayVarP(&outputs, "output", "o", nil, "report format: table or json, optionally =FILE")
	return c
}

// packageQuery tells a package query from an id: a package URL or
// ECOSYSTEM/NAME (advisory ids never hold "/").
func dbPackageQuery(q string) (eco, name string, isPkg bool, err error) {
	if strings.HasPrefix(q, "pkg:") {
		eco, name, _, err = vulndb.PackageFromPURL(q)
		return eco, name, true, err
	}
	eco, name, ok := strings.Cut(q, "/")
	if !ok {
		return "", "", false, nil
	}
	if eco == "" || name == "" {
		return "", "", false, fmt.Errorf("search %q: want ECOSYSTEM/NAME", q)
	}
	return eco, name, true, nil
}

func dbWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeRecordTable(w io.Writer, recs []*vulndb.Vulnerability) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMODIFIED\tALIASES\tPACKAGES\tSUMMARY")
	for _, r := range recs {
		id := r.ID
		if r.IsWithdrawn() {
			id += " (withdrawn)"
		}
		var pkgs []string
		for _, a := range r.Affected {
			if a.Package.Name != "" {
				pkgs = append(pkgs, a.Package.Ecosystem+"/"+a.Package.Name)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id, r.Modified.Format("2006-01-02"),
			dbDash(strings.Join(append(append([]string{}, r.Aliases...), r.Upstream...), ",")),
			dbDash(dbAbbrev(pkgs, 3)), dbDash(dbOneLine(r.Summary)))
	}
	return tw.Flush()
}

func writeEntryTable(w io.Writer, entries []vulndb.AffectedEntry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tECOSYSTEM\tPACKAGE\tAFFECTED")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.ID, e.Affected.Package.Ecosystem, e.Affected.Package.Name, dbDash(dbRangeText(e.Affected)))
	}
	return tw.Flush()
}

// rangeText summarises an affected entry: ">=0 <1.2.3; =1.0 =1.1".
func dbRangeText(a vulndb.Affected) string {
	var parts []string
	for _, r := range a.Ranges {
		var ev []string
		for _, e := range r.Events {
			switch {
			case e.Introduced != "":
				ev = append(ev, ">="+e.Introduced)
			case e.Fixed != "":
				ev = append(ev, "<"+e.Fixed)
			case e.LastAffected != "":
				ev = append(ev, "<="+e.LastAffected)
			case e.Limit != "":
				ev = append(ev, "limit "+e.Limit)
			}
		}
		parts = append(parts, strings.Join(ev, " "))
	}
	if n := len(a.Versions); n > 0 {
		parts = append(parts, fmt.Sprintf("%d listed versions", n))
	}
	return strings.Join(parts, "; ")
}

func dbAbbrev(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, ",")
	}
	return fmt.Sprintf("%s,… (%d)", strings.Join(s[:n], ","), len(s))
}
