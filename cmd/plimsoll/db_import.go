package main

import (
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func newDBImportCommand(opts *dbOptions) *cobra.Command {
	var keyPath string
	c := &cobra.Command{
		Use:   "import PATH",
		Short: "Import a directory or zip of OSV JSON records, or a signed bundle",
		Long: `Import OSV records from a directory (searched recursively for *.json), a zip
such as an OSV all.zip, or one JSON file; any mix of ecosystems. Malformed records
are skipped and counted. A bundle made by 'plimsoll db export' replaces the whole
database after its signature is verified with --key.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var pub ed25519.PublicKey
			if keyPath != "" {
				var err error
				if pub, err = vulndb.LoadPublicKey(keyPath); err != nil {
					return err
				}
			}
			limitMemory()
			db, err := opts.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			res, err := db.ImportPath(cmd.Context(), args[0], pub, time.Now())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if res.Manifest != nil {
				fmt.Fprintf(out, "imported bundle created %s: %d advisories, %d affected entries\n",
					res.Manifest.Created.Format(time.RFC3339), res.Manifest.Counts.Advisories, res.Manifest.Counts.Affected)
				return nil
			}
			st := res.Stats
			for _, s := range st.Skips {
				slog.Warn("skipped record", "path", s.Name, "error", s.Err)
			}
			fmt.Fprintf(out, "imported %s %s in %s: %d read, %d added, %d replaced, %d unchanged, %d skipped\n",
				res.Kind, args[0], time.Since(start).Round(time.Millisecond), st.Read, st.Added, st.Replaced, st.Unchanged, st.Skipped)
			return nil
		},
	}
	c.Flags().StringVar(&keyPath, "key", "", "public key (PEM) that must have signed a bundle")
	return c
}
