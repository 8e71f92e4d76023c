package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func newDBExportCommand(opts *dbOptions) *cobra.Command {
	var out, keyPath string
	c := &cobra.Command{
		Use:   "export --out FILE --key PRIVATE.pem",
		Short: "Write the whole database as one signed, compressed bundle",
		Long: `Write the database as a bundle for air-gapped sites: a manifest, its ed25519
signature and a compressed snapshot. 'plimsoll db import --key PUBLIC.pem FILE'
verifies and loads it. Make a key pair with 'plimsoll db keygen'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" || keyPath == "" {
				return errors.New("export needs --out FILE and --key PRIVATE.pem")
			}
			key, err := vulndb.LoadPrivateKey(keyPath)
			if err != nil {
				return err
			}
			db, err := opts.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			m, err := db.Export(cmd.Context(), out, key, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d advisories, snapshot %d bytes, sha256 %s\n",
				out, m.Counts.Advisories, m.DBSize, m.DBSHA256)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "bundle file to write")
	c.Flags().StringVar(&keyPath, "key", "", "private key (PEM) to sign the bundle with")
	return c
}
