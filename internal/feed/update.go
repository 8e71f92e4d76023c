package feed

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/feed/epss"
	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/feed/kev"
	"github.com/plimsoll/plimsoll/internal/feed/nvd"
	"github.com/plimsoll/plimsoll/internal/feed/osv"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// Config configures the feeds. Empty URLs mean each source's public default.
type Config struct {
	Client     *fetch.Client
	OSVBase    string
	NVDBase    string
	NVDAPIKey  string
	KEVURL     string
	EPSSURL    string
	Ecosystems []string // OSV ecosystems; vulndb.DefaultEcosystems when empty
	Now        func() time.Time
}

// Outcome is what one sync of one source (and ecosystem) did.
type Outcome struct {
	Source    string
	Ecosystem string
	Summary   string
	Err       error
}

// source is one entry of the list of sources.
type source struct {
	name string
	sync func(ctx context.Context, db *vulndb.DB, cfg Config, report func(Outcome))
}

// List is every source, in the order Update runs them.
func List() []string {
	var names []string
	for _, s := range sources() {
		names = append(names, s.name)
	}
	return names
}

func sources() []source {
	return []source{
		{osv.Source, syncOSV},
		{nvd.Source, syncNVD},
		{kev.Source, syncKEV},
		{epss.Source, syncEPSS},
	}
}

// Update syncs the named sources (all when names is empty), reporting each
// outcome as it comes. A failing source does not stop the others; the error
// returned joins every failure.
func Update(ctx context.Context, db *vulndb.DB, names []string, cfg Config, report func(Outcome)) error {
	for _, n := range names {
		if !slices.Contains(List(), n) {
			return fmt.Errorf("unknown source %q (known: %s)", n, strings.Join(List(), ", "))
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Client == nil {
		cfg.Client = fetch.New(nil)
	}
	var errs []error
	for _, s := range sources() {
		if len(names) > 0 && !slices.Contains(names, s.name) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		s.sync(ctx, db, cfg, func(o Outcome) {
			if o.Err != nil {
				errs = append(errs, o.Err)
			}
			report(o)
		})
	}
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func syncOSV(ctx context.Context, db *vulndb.DB, cfg Config, report func(Outcome)) {
	f := osv.New(cfg.Client, cfg.OSVBase)
	f.Now = cfg.Now
	f.TempDir = filepath.Dir(db.Path()) // all.zip lands beside the database, not in a small /tmp
	ecos := cfg.Ecosystems
	if len(ecos) == 0 {
		ecos = vulndb.DefaultEcosystems
	}
	for _, eco := range ecos {
		if ctx.Err() != nil {
			return
		}
		eco = vulndb.NormalizeEcosystem(eco)
		res, err := f.Sync(ctx, db, eco)
		var sum string
		switch {
		case res.NotModified:
			sum = "not modified"
		case res.Full:
			sum = fmt.Sprintf("full load: %d records, %d added, %d replaced, %d deleted, %d skipped",
				res.Stats.Read, res.Stats.Added, res.Stats.Replaced, res.Deleted, res.Stats.Skipped)
		default:
			sum = fmt.Sprintf("%d changed: %d added, %d replaced, %d unchanged, %d skipped",
				res.Changed, res.Stats.Added, res.Stats.Replaced, res.Stats.Unchanged, res.Stats.Skipped)
		}
		report(Outcome{Source: osv.Source, Ecosystem: eco, Summary: sum, Err: err})
	}
}

func syncNVD(ctx context.Context, db *vulndb.DB, cfg Config, report func(Outcome)) {
	f := nvd.New(cfg.Client, cfg.NVDBase, cfg.NVDAPIKey)
	f.Now = cfg.Now
	res, err := f.Sync(ctx, db)
	report(Outcome{Source: nvd.Source, Err: err,
		Summary: fmt.Sprintf("%d windows, %d pages, %d CVEs, %d CVSS vectors", res.Windows, res.Pages, res.CVEs, res.Vectors)})
}

func syncKEV(ctx context.Context, db *vulndb.DB, cfg Config, report func(Outcome)) {
	f := kev.New(cfg.Client, cfg.KEVURL)
	f.Now = cfg.Now
	res, err := f.Sync(ctx, db)
	sum := fmt.Sprintf("%d entries, %d skipped", res.Entries, res.Skipped)
	if res.NotModified {
		sum = "not modified"
	}
	report(Outcome{Source: kev.Source, Summary: sum, Err: err})
}

func syncEPSS(ctx context.Context, db *vulndb.DB, cfg Config, report func(Outcome)) {
	f := epss.New(cfg.Client, cfg.EPSSURL)
	f.Now = cfg.Now
	res, err := f.Sync(ctx, db)
	sum := fmt.Sprintf("%d scores of %s", res.Scores, res.Date)
	if res.NotModified {
		sum = "not modified"
	}
	report(Outcome{Source: epss.Source, Summary: sum, Err: err})
}
