package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// dbStatus is what `db status -o json` writes.
type dbStatus struct {
	Path   string             `json:"path"`
	Size   int64              `json:"size"`
	Counts vulndb.Counts      `json:"counts"`
	Feeds  []vulndb.FeedState `json:"feeds"`
	Stale  []string           `json:"stale,omitempty"` // "source/ecosystem" older than --max-age
}

func newDBStatusCommand(opts *dbOptions) *cobra.Command {
	var outputs []string
	var maxAge time.Duration
	c := &cobra.Command{
		Use:   "status",
		Short: "Show each source's age, counts, cursor and last error",
		Long: `Show the database's contents and, per source and ecosystem, when it last
synced, its cursor, record and skip counts and the last error. With --max-age,
exit 1 when the database was never updated or any source's last successful sync
is older than that.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			specs, err := parseOutputs(outputs, []string{"table", "json"}, "table")
			if err != nil {
				return err
			}
			db, err := opts.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			st := dbStatus{Path: db.Path()}
			if st.Counts, err = db.Counts(cmd.Context()); err != nil {
				return err
			}
			if st.Feeds, err = db.FeedStates(cmd.Context()); err != nil {
				return err
			}
			if fi, err := os.Stat(db.Path()); err == nil {
				st.Size = fi.Size()
			}
			now := time.Now()
			if maxAge > 0 {
				st.Stale = dbStaleFeeds(st.Feeds, now, maxAge)
			}
			err = writeOutputs(cmd.OutOrStdout(), specs, func(w io.Writer, format string) error {
				if format == "json" {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(st)
				}
				return writeStatusTable(w, st, now)
			})
			if err != nil {
				return err
			}
			if maxAge > 0 && len(st.Stale) > 0 {
				return errFailed(fmt.Sprintf("vulnerability data older than %s: %s", maxAge, strings.Join(st.Stale, ", ")))
			}
			return nil
		},
	}
	c.Flags().StringArrayVarP(&outputs, "output", "o", nil, "report format: table or json, optionally =FILE")
	c.Flags().DurationVar(&maxAge, "max-age", 0, "exit 1 if any source last synced longer ago than this (e.g. 24h)")
	return c
}

// staleFeeds lists the feeds whose last successful sync is older than maxAge;
// a database with no feeds at all is stale as a whole.
func dbStaleFeeds(feeds []vulndb.FeedState, now time.Time, maxAge time.Duration) []string {
	if len(feeds) == 0 {
		return []string{"(never updated)"}
	}
	var stale []string
	for _, f := range feeds {
		if f.LastSync.IsZero() || now.Sub(f.LastSync) > maxAge {
			stale = append(stale, dbFeedName(f))
		}
	}
	return stale
}

func dbFeedName(f vulndb.FeedState) string {
	if f.Ecosystem == "" {
		return f.Source
	}
	return f.Source + "/" + f.Ecosystem
}

func writeStatusTable(w io.Writer, st dbStatus, now time.Time) error {
	c := st.Counts
	fmt.Fprintf(w, "database  %s (%.1f MB)\n", st.Path, float64(st.Size)/1e6)
	fmt.Fprintf(w, "contents  %d advisories (%d withdrawn), %d affected entries, %d CVSS vectors, %d KEV, %d EPSS\n\n",
		c.Advisories, c.Withdrawn, c.Affected, c.CVSS, c.KEV, c.EPSS)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tECOSYSTEM\tLAST SYNC\tAGE\tRECORDS\tSKIPPED\tCURSOR\tLAST ERROR")
	for _, f := range st.Feeds {
		last, age := "never", "-"
		if !f.LastSync.IsZero() {
			last = f.LastSync.Format(time.RFC3339)
			age = now.Sub(f.LastSync).Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", f.Source, dbDash(f.Ecosystem), last, age,
			f.Records, f.Skipped, dbDash(f.Cursor), dbDash(dbOneLine(f.LastError)))
	}
	if len(st.Feeds) == 0 {
		fmt.Fprintln(tw, "(no source has synced: run 'plimsoll db update' or 'plimsoll db import')")
	}
	return tw.Flush()
}

func dbDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func dbOneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
