package osv

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"sync"
	"time"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// Modified is one line of modified_id.csv.
type Modified struct {
	Time time.Time
	ID   string
}

// ParseModifiedCSV parses modified_id.csv: lines of "RFC3339-time,id". Any
// malformed line makes the whole file an error.
func ParseModifiedCSV(data []byte) ([]Modified, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 2
	r.ReuseRecord = true
	var out []Modified
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("modified_id.csv: %w", err)
		}
		line, _ := r.FieldPos(0)
		t, err := vulndb.ParseTime(rec[0])
		if err != nil {
			return nil, fmt.Errorf("modified_id.csv line %d: %w", line, err)
		}
		if err := vulndb.ValidateID(rec[1]); err != nil {
			return nil, fmt.Errorf("modified_id.csv line %d: %w", line, err)
		}
		out = append(out, Modified{Time: t, ID: rec[1]})
	}
}

// incremental fetches the records modified since the cursor.
func (f *Feed) incremental(ctx context.Context, db *vulndb.DB, eco string, st vulndb.FeedState) (Result, error) {
	res := Result{Ecosystem: eco}
	started := f.Now()
	cursor, err := vulndb.ParseTime(st.Cursor)
	if err != nil {
		return res, fmt.Errorf("feed state cursor: %w", err)
	}
	resp, err := f.Client.Get(ctx, fetch.Request{URL: f.url(eco, "modified_id.csv"), ETag: st.ETag})
	if err != nil {
		return res, err
	}
	if resp.NotModified {
		res.NotModified = true
		return res, db.Update(ctx, Source+"/"+eco, func(tx *vulndb.Tx) error {
			return f.saveState(ctx, tx, eco, cursor, st.ETag, 0, started)
		})
	}
	all, err := ParseModifiedCSV(resp.Body)
	if err != nil {
		return res, err
	}
	var changed []string
	newCursor := cursor
	// Records modified exactly at the cursor are fetched again: one may have
	// been published after the snapshot that set the cursor. Identical ones are
	// left unchanged by Put.
	for _, m := range all {
		if !m.Time.Before(cursor) {
			changed = append(changed, m.ID)
			if m.Time.After(newCursor) {
				newCursor = m.Time
			}
		}
	}
	res.Changed = len(changed)
	if len(changed) > f.MaxIncremental {
		return f.full(ctx, db, eco, st)
	}
	err = db.Update(ctx, Source+"/"+eco, func(tx *vulndb.Tx) error {
		var err error
		if res.Stats, err = vulndb.PutAll(ctx, tx, f.fetchRecords(ctx, eco, changed)); err != nil {
			return err
		}
		return f.saveState(ctx, tx, eco, newCursor, resp.ETag, res.Stats.Skipped, started)
	})
	return res, err
}

// fetchRecords fetches {id}.json for every id on f.Workers goroutines. A
// record that is gone (404) is yielded as skipped; any other failure ends the
// sequence with an error.
func (f *Feed) fetchRecords(ctx context.Context, eco string, ids []string) iter.Seq2[vulndb.File, error] {
	return func(yield func(vulndb.File, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		type result struct {
			file vulndb.File
			err  error
		}
		in := make(chan string)
		out := make(chan result)
		var wg sync.WaitGroup
		for range max(1, f.Workers) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range in {
					r := result{file: vulndb.File{Name: id + ".json"}}
					resp, err := f.Client.Get(ctx, fetch.Request{URL: f.url(eco, id+".json"), MaxBytes: vulndb.MaxRecordSize})
					switch {
					case errors.Is(err, fetch.ErrNotFound):
						r.file.Err = err
					case err != nil:
						r.err = err
					default:
						r.file.Data = resp.Body
					}
					select {
					case out <- r:
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		go func() {
			defer close(in)
			for _, id := range ids {
				select {
				case in <- id:
				case <-ctx.Done():
					return
				}
			}
		}()
		go func() { wg.Wait(); close(out) }()
		for r := range out {
			if !yield(r.file, r.err) || r.err != nil {
				return
			}
		}
	}
}
