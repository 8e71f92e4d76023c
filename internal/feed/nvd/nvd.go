// Package nvd syncs CVSS vectors and base scores from the NVD CVE API 2.0. The
// first sync pages through every CVE; later ones ask only for CVEs modified
// since the cursor, in lastModStartDate/lastModEndDate windows of at most 120
// days. Without an API key NVD allows 5 requests in 30 seconds, with one 50:
// Feed waits between requests accordingly, and the fetch client backs off on
// its 403 and 429 answers.
package nvd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// DefaultBase is NVD's CVE API 2.0 endpoint.
const DefaultBase = "https://services.nvd.nist.gov/rest/json/cves/2.0"

// Source is the feed-state source name.
const Source = "nvd"

// MaxWindow is the longest lastMod window the API accepts.
const MaxWindow = 120 * 24 * time.Hour

// Feed syncs NVD CVSS data into a vulndb.
type Feed struct {
	Client   *fetch.Client
	Base     string
	APIKey   string // sent as the apiKey header; raises the rate limit
	PageSize int    // resultsPerPage, at most 2000
	// Pause is the wait between requests; New sets it from the rate limit.
	Pause time.Duration
	// CommitPages is how many pages of the first, full scan are stored per
	// transaction; an interrupted scan resumes after the last one stored.
	CommitPages int
	Now         func() time.Time
}

// New returns a feed for base (DefaultBase when "").
func New(client *fetch.Client, base, apiKey string) *Feed {
	if base == "" {
		base = DefaultBase
	}
	pause := 6 * time.Second
	if apiKey != "" {
		pause = 600 * time.Millisecond
	}
	return &Feed{Client: client, Base: base, APIKey: apiKey, PageSize: 2000, Pause: pause, CommitPages: 10, Now: time.Now}
}

// Result says what one Sync did.
type Result struct {
	Windows, Pages, CVEs, Vectors int
}

// Sync fetches CVSS metrics for the CVEs modified since the cursor (all CVEs
// on the first sync, CommitPages pages per transaction). Each window is one
// transaction that also moves the cursor, so an interrupted sync resumes where
// it stopped; a malformed page is an error naming the source, and that
// window's (or chunk's) data is not applied.
func (f *Feed) Sync(ctx context.Context, db *vulndb.DB) (Result, error) {
	res, err := f.sync(ctx, db)
	if err != nil {
		err = db.FailSync(ctx, Source, "", f.Now(), fmt.Errorf("nvd: %w", err))
	}
	return res, err
}

func (f *Feed) sync(ctx context.Context, db *vulndb.DB) (Result, error) {
	var res Result
	st, _, err := db.FeedState(ctx, Source, "")
	if err != nil {
		return res, err
	}
	now := f.Now().UTC()
	if st.Cursor == "" || strings.HasPrefix(st.Cursor, fullPrefix) {
		return res, f.fullScan(ctx, db, &res, st)
	}
	start, err := vulndb.ParseTime(st.Cursor)
	if err != nil {
		return res, fmt.Errorf("feed state cursor: %w", err)
	}
	for start.Before(now) {
		end := start.Add(MaxWindow)
		if end.After(now) {
			end = now
		}
		res.Windows++
		cursor := end.Format(time.RFC3339Nano)
		err := f.pages(ctx, db, &res, start, end, 0, 0, st, func(int, bool) string { return cursor })
		if err != nil {
			return res, err
		}
		start = end
	}
	if res.Windows == 0 { // cursor already at now: just note the sync
		return res, db.Update(ctx, Source, func(tx *vulndb.Tx) error {
			st.LastSync, st.LastAttempt, st.LastError = now, now, ""
			return tx.SetFeedState(ctx, st)
		})
	}
	return res, nil
}

// fullPrefix marks the cursor of an unfinished first scan:
// "full@<startIndex>@<time the scan started>".
const fullPrefix = "full@"

// fullScan pages through every CVE, committing every CommitPages pages with a
// cursor that lets an interrupted scan resume at the next page. When it is
// done the cursor becomes the time the scan started, so the next sync asks
// for what changed meanwhile.
func (f *Feed) fullScan(ctx context.Context, db *vulndb.DB, res *Result, st vulndb.FeedState) error {
	from, started := 0, f.Now().UTC()
	if rest, ok := strings.CutPrefix(st.Cursor, fullPrefix); ok {
		idx, when, _ := strings.Cut(rest, "@")
		n, err1 := strconv.Atoi(idx)
		t, err2 := vulndb.ParseTime(when)
		if err1 != nil || err2 != nil || n < 0 {
			return fmt.Errorf("feed state cursor %q is malformed", st.Cursor)
		}
		from, started = n, t
	}
	res.Windows++
	return f.pages(ctx, db, res, time.Time{}, time.Time{}, from, f.CommitPages, st, func(index int, done bool) string {
		if done {
			return started.Format(time.RFC3339Nano)
		}
		return fmt.Sprintf("%s%d@%s", fullPrefix, index, started.Format(time.RFC3339Nano))
	})
}

// pages fetches the pages of one query ([start, end] by lastMod; every CVE when
// start is zero) from startIndex on, storing them every commitEvery pages (0:
// once at the end) with the cursor cursorAt gives for the next index.
func (f *Feed) pages(ctx context.Context, db *vulndb.DB, res *Result, start, end time.Time, index, commitEvery int,
	st vulndb.FeedState, cursorAt func(next int, done bool) string) error {
	var pending []*Page
	for {
		if res.Pages > 0 {
			if err := f.Client.Sleep(ctx, f.Pause); err != nil {
				return err
			}
		}
		p, err := f.page(ctx, start, end, index)
		if err != nil {
			return err
		}
		res.Pages++
		pending = append(pending, p)
		index += len(p.Vulnerabilities)
		done := index >= p.TotalResults
		if !done && len(p.Vulnerabilities) == 0 {
			return fmt.Errorf("page at startIndex %d is empty but totalResults is %d", index, p.TotalResults)
		}
		if done || commitEvery > 0 && len(pending) >= commitEvery {
			if err := f.store(ctx, db, res, pending, cursorAt(index, done), done, st); err != nil {
				return err
			}
			pending = nil
		}
		if done {
			return nil
		}
	}
}

// store writes the pages' CVSS vectors and the cursor in one transaction.
// The last successful sync moves only when done.
func (f *Feed) store(ctx context.Context, db *vulndb.DB, res *Result, pages []*Page, cursor string, done bool, st vulndb.FeedState) error {
	return db.Update(ctx, Source, func(tx *vulndb.Tx) error {
		for _, p := range pages {
			for _, v := range p.Vulnerabilities {
				res.CVEs++
				for _, c := range v.CVE.Metrics.vectors() {
					if err := tx.PutCVSS(ctx, v.CVE.ID, c); err != nil {
						return err
					}
					res.Vectors++
				}
			}
		}
		n, err := tx.CountCVSS(ctx)
		if err != nil {
			return err
		}
		now := f.Now()
		last := st.LastSync
		if done {
			last = now
		}
		return tx.SetFeedState(ctx, vulndb.FeedState{Source: Source, LastSync: last, LastAttempt: now,
			Cursor: cursor, Records: n})
	})
}

const nvdTime = "2006-01-02T15:04:05.000-07:00"

func (f *Feed) page(ctx context.Context, start, end time.Time, index int) (*Page, error) {
	q := url.Values{}
	q.Set("resultsPerPage", strconv.Itoa(f.PageSize))
	q.Set("startIndex", strconv.Itoa(index))
	if !start.IsZero() {
		q.Set("lastModStartDate", start.UTC().Format(nvdTime))
		q.Set("lastModEndDate", end.UTC().Format(nvdTime))
	}
	req := fetch.Request{URL: f.Base + "?" + q.Encode(), MaxBytes: 512 << 20}
	if f.APIKey != "" {
		req.Header = http.Header{"apiKey": {f.APIKey}}
	}
	resp, err := f.Client.Get(ctx, req)
	if err != nil {
		return nil, err
	}
	p, err := ParsePage(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("page at startIndex %d: %w", index, err)
	}
	return p, nil
}

// Page is one answer of the CVE API, reduced to what plimsoll keeps.
type Page struct {
	ResultsPerPage  int    `json:"resultsPerPage"`
	StartIndex      int    `json:"startIndex"`
	TotalResults    int    `json:"totalResults"`
	Format          string `json:"format"`
	Vulnerabilities []struct {
		CVE struct {
			ID      string  `json:"id"`
			Metrics Metrics `json:"metrics"`
		} `json:"cve"`
	} `json:"vulnerabilities"`
}

// Metrics are a CVE's CVSS metrics by version.
type Metrics struct {
	V2  []Metric `json:"cvssMetricV2"`
	V30 []Metric `json:"cvssMetricV30"`
	V31 []Metric `json:"cvssMetricV31"`
	V40 []Metric `json:"cvssMetricV40"`
}

// Metric is one CVSS metric from one source.
type Metric struct {
	Source   string `json:"source"`
	Type     string `json:"type"` // Primary or Secondary
	CVSSData struct {
		Version      string   `json:"version"`
		VectorString string   `json:"vectorString"`
		BaseScore    *float64 `json:"baseScore"`
	} `json:"cvssData"`
}

func (m Metrics) vectors() []vulndb.CVSS {
	var out []vulndb.CVSS
	for _, list := range [][]Metric{m.V2, m.V30, m.V31, m.V40} {
		for _, x := range list {
			if x.CVSSData.VectorString == "" {
				continue
			}
			src := x.Source
			if src == "" {
				src = Source
			}
			out = append(out, vulndb.CVSS{Source: src, Version: x.CVSSData.Version, Vector: x.CVSSData.VectorString, Score: x.CVSSData.BaseScore})
		}
	}
	return out
}

// ParsePage decodes one API page and checks its shape.
func ParsePage(data []byte) (*Page, error) {
	var p Page
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("malformed page: %w", err)
	}
	if p.Format != "NVD_CVE" {
		return nil, fmt.Errorf("malformed page: format %q, want NVD_CVE", p.Format)
	}
	if p.TotalResults < 0 || p.StartIndex < 0 {
		return nil, errors.New("malformed page: negative totalResults or startIndex")
	}
	for i, v := range p.Vulnerabilities {
		if v.CVE.ID == "" {
			return nil, fmt.Errorf("malformed page: vulnerabilities[%d] has no cve.id", i)
		}
	}
	return &p, nil
}
