package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func newDBKeygenCommand() *cobra.Command {
	var prefix string
	c := &cobra.Command{
		Use:   "keygen",
		Short: "Make an ed25519 key pair for signing database bundles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			priv, pub := prefix+".key", prefix+".pub"
			if err := vulndb.GenerateKey(priv, pub); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote private key %s (keep it secret) and public key %s\n", priv, pub)
			return nil
		},
	}
	c.Flags().StringVar(&prefix, "out", "plimsoll-db", "file name prefix: writes PREFIX.key and PREFIX.pub")
	return c
}
