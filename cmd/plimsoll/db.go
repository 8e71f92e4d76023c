package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

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

// open opens the database, creating it when missing (for writers).
func (o *dbOptions) open(ctx context.Context) (*vulndb.DB, error) {
	p, err := o.path()
	if err != nil {
		return nil, err
	}
	return noteMigration(vulndb.Open(ctx, p))
}

// openExisting opens the database for reading; a missing one is an error.
func (o *dbOptions) openExisting(ctx context.Context) (*vulndb.DB, error) {
	p, err := o.path()
	if err != nil {
		return nil, err
	}
	return noteMigration(vulndb.OpenExisting(ctx, p))
}

// noteMigration tells, on stderr, when opening the database upgraded its
// schema: the first command after upgrading plimsoll pays for it once (about
// 5 s for 500,000 records), and the file can no longer be opened by older
// versions.
func noteMigration(db *vulndb.DB, err error) (*vulndb.DB, error) {
	if err != nil {
		return db, err
	}
	if m, ok := db.Migrated(); ok {
		slog.Warn("upgraded the vulnerability database's schema; older plimsoll versions cannot open it now",
			slog.String("path", db.Path()), slog.Int("from", m.From), slog.Int("to", m.To), slog.Duration("took", m.Took.Round(time.Millisecond)))
	}
	return db, nil
}

// bulkMemoryLimit is the soft memory limit of bulk imports and updates unless
// GOMEMLIMIT says otherwise: a zip of 500,000 records holds a central directory
// of some 150 MB, and the default GC pacing would let the heap grow to twice that.
const bulkMemoryLimit = 256 << 20

func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(bulkMemoryLimit)
	}
}
