package main

import (
	"context"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// dbOptions are the flags every db subcommand shares.
type dbOptions struct {
	dir string
}

func newDBCommand() *cobra.Command {
	opts := &dbOptions{}
	c := &cobra.Command{
		Use:   "db",
		Short: "Build, update, inspect and move the vulnerability database",
	}
	c.PersistentFlags().StringVar(&opts.dir, "db-dir", "", "vulnerability database directory (env PLIMSOLL_DB_DIR; default $XDG_CACHE_HOME/plimsoll)")
	c.AddCommand(
		newDBUpdateCommand(opts),
		newDBStatusCommand(opts),
		newDBImportCommand(opts),
		newDBExportCommand(opts),
		newDBKeygenCommand(),
		newDBSearchCommand(opts),
	)
	return c
}

// path returns the database file's path.
func (o *dbOptions) path() (string, error) {
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = vulndb.DefaultDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, vulndb.FileName), nil
}

func (o *dbOptions) open(ctx context.Context) (*vulndb.DB, error) {
	p, err := o.path()
	if err != nil {
		return nil, err
	}
	return vulndb.Open(ctx, p)
}
