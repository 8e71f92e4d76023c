// Package osv syncs advisories from the OSV bulk exports: per ecosystem,
// {base}/{ecosystem}/all.zip for the first load, then
// {base}/{ecosystem}/modified_id.csv to fetch only the records modified since
// the cursor, as {base}/{ecosystem}/{id}.json.
package osv

import (
	"archive/zip"
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// DefaultBase is the public OSV bucket.
const DefaultBase = "https://osv-vulnerabilities.storage.googleapis.com"

// Source is the feed-state source name.
const Source = "osv"

// Feed syncs OSV ecosystems into a vulndb.
type Feed struct {
	Client *fetch.Client
	Base   string           // DefaultBase, or a mirror laid out the same way
	Now    func() time.Time // the clock
	// TempDir holds all.zip while it is imported; "" means os.TempDir().
	TempDir string
	// MaxIncremental is the number of changed records above which all.zip is
	// loaded again instead of fetching records one by one.
	MaxIncremental int
	// Workers fetch records in parallel during an incremental sync.
	Workers int
}

// New returns a feed reading base with client.
func New(client *fetch.Client, base string) *Feed {
	if base == "" {
		base = DefaultBase
	}
	return &Feed{Client: client, Base: strings.TrimRight(base, "/"), Now: time.Now, MaxIncremental: 20000, Workers: 8}
}

// Result says what one Sync did.
type Result struct {
	Ecosystem   string
	Full        bool // all.zip was loaded
	NotModified bool // nothing changed upstream
	Changed     int  // records listed as modified since the cursor
	Deleted     int  // records gone from all.zip, deleted
	Stats       vulndb.LoadStats
}

// Sync brings one ecosystem up to date: all.zip when it never synced (or too
// much changed), otherwise only the records modified since the cursor. It all
// happens in one transaction; on error the old data stays, the error is noted
// in the feed state and returned, naming the source.
func (f *Feed) Sync(ctx context.Context, db *vulndb.DB, ecosystem string) (Result, error) {
	res, err := f.sync(ctx, db, ecosystem)
	if err != nil {
		err = db.FailSync(ctx, Source, ecosystem, f.Now(), fmt.Errorf("osv %s: %w", ecosystem, err))
	}
	return res, err
}

func (f *Feed) sync(ctx context.Context, db *vulndb.DB, eco string) (Result, error) {
	st, ok, err := db.FeedState(ctx, Source, eco)
	if err != nil {
		return Result{Ecosystem: eco}, err
	}
	if !ok || st.Cursor == "" {
		return f.full(ctx, db, eco, st)
	}
	return f.incremental(ctx, db, eco, st)
}

func (f *Feed) url(eco, file string) string {
	return f.Base + "/" + url.PathEscape(eco) + "/" + url.PathEscape(file)
}

// full loads all.zip, replacing the ecosystem's records.
func (f *Feed) full(ctx context.Context, db *vulndb.DB, eco string, st vulndb.FeedState) (Result, error) {
	res := Result{Ecosystem: eco, Full: true}
	started := f.Now()
	tmp, err := os.CreateTemp(f.TempDir, "plimsoll-osv-*.zip")
	if err != nil {
		return res, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	u := f.url(eco, "all.zip")
	if _, err := f.Client.Download(ctx, fetch.Request{URL: u}, tmp.Name()); err != nil {
		return res, err
	}
	zr, err := zip.OpenReader(tmp.Name())
	if err != nil {
		return res, fmt.Errorf("all.zip: %w: %w", vulndb.ErrMalformedArchive, err)
	}
	defer zr.Close()
	err = db.Update(ctx, Source+"/"+eco, func(tx *vulndb.Tx) error {
		tx.TrackSeen()
		var err error
		if res.Stats, err = vulndb.PutAll(ctx, tx, vulndb.ZipFiles(&zr.Reader)); err != nil {
			return fmt.Errorf("all.zip: %w", err)
		}
		if res.Stats.Read == 0 {
			return fmt.Errorf("all.zip: %w: it holds no records", vulndb.ErrMalformedArchive)
		}
		if res.Deleted, err = tx.DeleteUnseen(ctx); err != nil {
			return err
		}
		cursor := res.Stats.MaxModified
		if cursor.IsZero() {
			cursor = started
		}
		return f.saveState(ctx, tx, eco, cursor, "", res.Stats.Skipped, started)
	})
	return res, err
}

func (f *Feed) saveState(ctx context.Context, tx *vulndb.Tx, eco string, cursor time.Time, etag string, skipped int, at time.Time) error {
	n, err := tx.CountSource(ctx, Source+"/"+eco)
	if err != nil {
		return err
	}
	return tx.SetFeedState(ctx, vulndb.FeedState{Source: Source, Ecosystem: eco, LastSync: at, LastAttempt: at,
		Cursor: cursor.UTC().Format(time.RFC3339Nano), ETag: etag, Records: n, Skipped: int64(skipped)})
}
