package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDBUpdateCommand(opts *dbOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "update",
		Short: "Fetch the latest advisories and enrichment from the feeds",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("not yet")
		},
	}
}
