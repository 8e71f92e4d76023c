package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/feed"
	"github.com/plimsoll/plimsoll/internal/feed/fetch"
)

func newDBUpdateCommand(opts *dbOptions) *cobra.Command {
	var sources []string
	cfg := feed.Config{}
	c := &cobra.Command{
		Use:   "update",
		Short: "Fetch the latest advisories and enrichment from the feeds",
		Long: `Bring the database up to date from its sources: OSV (all.zip on the first run,
then only the records modified since), NVD (CVSS), CISA KEV and FIRST EPSS. Each
source and ecosystem is updated in one transaction; one that fails keeps its old
data, its error shows in 'plimsoll db status', and the others go on. Every URL can
point at a mirror.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			limitMemory()
			db, err := opts.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			cfg.Client = fetch.New(nil)
			cfg.Client.Progress = progressPrinter(os.Stderr)
			out := cmd.OutOrStdout()
			start := time.Now()
			err = feed.Update(cmd.Context(), db, sources, cfg, func(o feed.Outcome) {
				name := o.Source
				if o.Ecosystem != "" {
					name += " " + o.Ecosystem
				}
				if o.Err != nil {
					fmt.Fprintf(out, "%-20s FAILED: %v\n", name, o.Err)
					return
				}
				fmt.Fprintf(out, "%-20s %s\n", name, o.Summary)
			})
			fmt.Fprintf(out, "done in %s\n", time.Since(start).Round(time.Millisecond))
			return err
		},
	}
	f := c.Flags()
	f.StringSliceVar(&sources, "source", nil, "sources to update: osv,nvd,kev,epss (default all)")
	f.StringSliceVar(&cfg.Ecosystems, "ecosystem", nil, "OSV ecosystems to update (default: Debian, Ubuntu, Alpine, Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE, Wolfi, Chainguard, npm, PyPI, Go, Maven, RubyGems, crates.io, Packagist, NuGet)")
	f.StringVar(&cfg.OSVBase, "osv-url", "", "OSV bulk export base URL (default the public OSV bucket)")
	f.StringVar(&cfg.NVDBase, "nvd-url", "", "NVD CVE API 2.0 URL")
	f.StringVar(&cfg.NVDAPIKey, "nvd-api-key", "", "NVD API key, for a higher rate limit (env PLIMSOLL_NVD_API_KEY)")
	f.StringVar(&cfg.KEVURL, "kev-url", "", "CISA KEV catalogue JSON URL")
	f.StringVar(&cfg.EPSSURL, "epss-url", "", "FIRST EPSS scores .csv.gz URL")
	return c
}

// progressPrinter draws a one-line progress display on w when w is a
// terminal, and nothing otherwise (CI logs stay clean).
func progressPrinter(w *os.File) func(url string, done, total int64) {
	fi, err := w.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	var mu sync.Mutex
	var last time.Time
	return func(url string, done, total int64) {
		mu.Lock()
		defer mu.Unlock()
		finished := total >= 0 && done >= total
		if !finished && time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		drawProgress(w, url, done, total, finished)
	}
}

func drawProgress(w io.Writer, url string, done, total int64, finished bool) {
	if len(url) > 60 {
		url = "…" + url[len(url)-59:]
	}
	if total > 0 {
		const width = 30
		n := int(done * width / total)
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = ' '
			if i < n {
				bar[i] = '='
			}
		}
		fmt.Fprintf(w, "\r%s [%s] %5.1f/%.1f MB", url, bar, float64(done)/1e6, float64(total)/1e6)
	} else {
		fmt.Fprintf(w, "\r%s %.1f MB", url, float64(done)/1e6)
	}
	if finished {
		fmt.Fprintln(w)
	}
}
