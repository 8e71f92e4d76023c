// Package epss syncs FIRST's daily EPSS scores, a gzip-compressed CSV whose
// first line names the model version and score date, replacing the stored
// scores whole when they changed.
package epss

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// DefaultURL is the current EPSS scores file.
const DefaultURL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"

// Source is the feed-state source name.
const Source = "epss"

// maxCSV bounds the decompressed CSV (today about 10 MB).
const maxCSV = 1 << 30

// Feed syncs EPSS scores.
type Feed struct {
	Client *fetch.Client
	URL    string
	Now    func() time.Time
}

// New returns a feed for url (DefaultURL when "").
func New(client *fetch.Client, url string) *Feed {
	if url == "" {
		url = DefaultURL
	}
	return &Feed{Client: client, URL: url, Now: time.Now}
}

// Parse reads the gzip-compressed scores:
//
//	#model_version:v2025.03.14,score_date:2025-06-01T12:55:00Z
//	cve,epss,percentile
//	CVE-1999-0001,0.01297,0.85996
//
// Any malformed line makes the whole file an error. The date is the score
// date's day ("" when the comment line is missing).
func Parse(gz []byte) (scores []vulndb.EPSS, date string, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, "", fmt.Errorf("malformed gzip: %w", err)
	}
	br := bufio.NewReader(io.LimitReader(zr, maxCSV))
	if b, _ := br.Peek(1); len(b) == 1 && b[0] == '#' {
		line, _ := br.ReadString('\n')
		date = scoreDate(line)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = 3
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, "", fmt.Errorf("malformed csv: header: %w", err)
	}
	if header[0] != "cve" || header[1] != "epss" || header[2] != "percentile" {
		return nil, "", fmt.Errorf("malformed csv: header %q, want cve,epss,percentile", strings.Join(header, ","))
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", fmt.Errorf("malformed csv: %w", err)
		}
		line, _ := r.FieldPos(0)
		e, err := parseRow(rec, date)
		if err != nil {
			return nil, "", fmt.Errorf("malformed csv line %d: %w", line, err)
		}
		scores = append(scores, e)
	}
	return scores, date, nil
}

func parseRow(rec []string, date string) (vulndb.EPSS, error) {
	e := vulndb.EPSS{CVE: rec[0], Date: date}
	if !strings.HasPrefix(e.CVE, "CVE-") {
		return e, fmt.Errorf("%q is not a CVE id", e.CVE)
	}
	var err error
	if e.Score, err = strconv.ParseFloat(rec[1], 64); err != nil || e.Score < 0 || e.Score > 1 {
		return e, fmt.Errorf("epss %q is not a probability", rec[1])
	}
	if e.Percentile, err = strconv.ParseFloat(rec[2], 64); err != nil || e.Percentile < 0 || e.Percentile > 1 {
		return e, fmt.Errorf("percentile %q is not in [0, 1]", rec[2])
	}
	return e, nil
}

// scoreDate picks the day out of "#model_version:…,score_date:2025-06-01T…".
func scoreDate(line string) string {
	for _, part := range strings.Split(strings.TrimSpace(strings.TrimPrefix(line, "#")), ",") {
		if v, ok := strings.CutPrefix(part, "score_date:"); ok && len(v) >= 10 {
			return v[:10]
		}
	}
	return ""
}

// Result says what one Sync did.
type Result struct {
	NotModified bool
	Scores      int
	Date        string
}

// Sync fetches the scores (conditionally on the last ETag) and replaces the
// stored ones in one transaction. On error the old scores stay.
func (f *Feed) Sync(ctx context.Context, db *vulndb.DB) (Result, error) {
	res, err := f.sync(ctx, db)
	if err != nil {
		err = db.FailSync(ctx, Source, "", f.Now(), fmt.Errorf("epss: %w", err))
	}
	return res, err
}

func (f *Feed) sync(ctx context.Context, db *vulndb.DB) (Result, error) {
	var res Result
	st, _, err := db.FeedState(ctx, Source, "")
	if err != nil {
		return res, err
	}
	resp, err := f.Client.Get(ctx, fetch.Request{URL: f.URL, ETag: st.ETag, LastModified: st.LastModified, MaxBytes: 512 << 20})
	if err != nil {
		return res, err
	}
	now := f.Now()
	st.Source, st.LastSync, st.LastAttempt, st.LastError = Source, now, now, ""
	if resp.NotModified {
		res.NotModified = true
		return res, db.Update(ctx, Source, func(tx *vulndb.Tx) error { return tx.SetFeedState(ctx, st) })
	}
	scores, date, err := Parse(resp.Body)
	if err != nil {
		return res, err
	}
	if date == "" {
		date = now.UTC().Format(time.DateOnly)
		for i := range scores {
			scores[i].Date = date
		}
	}
	res.Scores, res.Date = len(scores), date
	st.ETag, st.LastModified, st.Records, st.Cursor = resp.ETag, resp.LastModified, int64(len(scores)), date
	return res, db.Update(ctx, Source, func(tx *vulndb.Tx) error {
		if err := tx.ReplaceEPSS(ctx, scores); err != nil {
			return err
		}
		return tx.SetFeedState(ctx, st)
	})
}
