package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/trust/bases"
)

func newBaseCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "base",
		Short: "Keep the catalogue of approved base images and detect an image's base",
		Long: `The approved-base catalogue is a JSON file (default ` + bases.DefaultPath + `, --catalog or
PLIMSOLL_BASE_CATALOG) that CI can keep in a repository. Each entry is one base image on
one platform: its reference, tag, manifest digest, signer, when it was added, its layers'
diffIDs and the ChainID of every layer prefix, and the digests its tag pointed to before.

An image's base is recognised by its layers' ChainIDs (uncompressed content), never by
compressed digests or by annotations alone. See docs/trust.md.`,
	}
	cmd.AddCommand(newBaseAddCommand(), newBaseRefreshCommand(), newBaseListCommand(),
		newBaseRemoveCommand(), newBaseDetectCommand())
	return cmd
}

// registerCatalog adds --catalog to a base subcommand.
func registerCatalog(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVar(path, "catalog", bases.DefaultPath, "approved-base catalogue file (env PLIMSOLL_BASE_CATALOG)")
	envName(cmd, "catalog", "PLIMSOLL_BASE_CATALOG")
}

// loadCatalog reads the catalogue; a missing file is an empty catalogue when
// create is set and an error otherwise.
func loadCatalog(path string, create bool) (*bases.Catalog, error) {
	c, err := bases.Load(path)
	if create && errors.Is(err, os.ErrNotExist) {
		return bases.New(), nil
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w (create one with `plimsoll base add REF --catalog %s`)", err, path)
	}
	return c, err
}
