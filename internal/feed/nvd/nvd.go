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
	Now   func() time.Time
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
	return &Feed{Client: client, Base: base, APIKey: apiKey, PageSize: 2000, Pause: pause, Now: time.Now}
}

// Result says what one Sync did.
type Result struct {
	Windows, Pages, CVEs, Vectors int
}

// Sync fetches CVSS metrics for the CVEs modified since the cursor (all CVEs
// on the first sync). Each window is one transaction that also moves the
// cursor, so an interrupted sync resumes where it stopped; a malformed page is
// an error naming the source, and that window's data is not applied.
func (f *Feed) Sync(ctx context.Context, db *vulndb.DB) (Result, error) {
	res, err := f.sync(ctx, db)
	if err != nil {
		err = fmt.Errorf("nvd: %w", err)
		if rerr := db.RecordFeedError(context.WithoutCancel(ctx), Source, "", f.Now(), err); rerr != nil {
			err = errors.Join(err, rerr)
		}
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
	if st.Cursor == "" {
		return res, f.window(ctx, db, &res, time.Time{}, now, now)
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
		if err := f.window(ctx, db, &res, start, end, end); err != nil {
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

// window fetches every page of one lastMod window ([start, end]; no dates when
// start is zero) and stores it with the cursor moved to cursor.
func (f *Feed) window(ctx context.Context, db *vulndb.DB, res *Result, start, end, cursor time.Time) error {
	res.Windows++
	var pages []*Page
	for index := 0; ; {
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
		pages = append(pages, p)
		index += len(p.Vulnerabilities)
		if index >= p.TotalResults {
			break
		}
		if len(p.Vulnerabilities) == 0 {
			return fmt.Errorf("page at startIndex %d is empty but totalResults is %d", index, p.TotalResults)
		}
	}
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
		return tx.SetFeedState(ctx, vulndb.FeedState{Source: Source, LastSync: now, LastAttempt: now,
			Cursor: cursor.Format(time.RFC3339Nano), Records: n})
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
