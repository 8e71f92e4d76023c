// Package kev syncs CISA's Known Exploited Vulnerabilities catalogue (JSON),
// replacing the stored catalogue whole when it changed.
package kev

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/feed/fetch"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// DefaultURL is CISA's JSON catalogue.
const DefaultURL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"

// Source is the feed-state source name.
const Source = "kev"

// Feed syncs the KEV catalogue.
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

// Catalogue is the KEV JSON document, reduced to what plimsoll keeps.
type Catalogue struct {
	CatalogVersion  string  `json:"catalogVersion"`
	DateReleased    string  `json:"dateReleased"`
	Count           int     `json:"count"`
	Vulnerabilities []Entry `json:"vulnerabilities"`
}

// Entry is one catalogue entry.
type Entry struct {
	CVEID                      string `json:"cveID"`
	VendorProject              string `json:"vendorProject"`
	Product                    string `json:"product"`
	VulnerabilityName          string `json:"vulnerabilityName"`
	DateAdded                  string `json:"dateAdded"`
	DueDate                    string `json:"dueDate"`
	KnownRansomwareCampaignUse string `json:"knownRansomwareCampaignUse"`
}

// Parse decodes the catalogue. Entries without a CVE id or date added are
// skipped and counted; a document that is not the catalogue is an error.
func Parse(data []byte) (entries []vulndb.KEV, skipped int, err error) {
	var c Catalogue
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, 0, fmt.Errorf("malformed catalogue: %w", err)
	}
	if c.Vulnerabilities == nil {
		return nil, 0, errors.New("malformed catalogue: no vulnerabilities")
	}
	if c.Count != 0 && c.Count != len(c.Vulnerabilities) {
		return nil, 0, fmt.Errorf("malformed catalogue: count is %d but it lists %d", c.Count, len(c.Vulnerabilities))
	}
	for _, e := range c.Vulnerabilities {
		if !strings.HasPrefix(e.CVEID, "CVE-") || e.DateAdded == "" {
			skipped++
			continue
		}
		entries = append(entries, vulndb.KEV{CVE: e.CVEID, Vendor: e.VendorProject, Product: e.Product,
			Name: e.VulnerabilityName, DateAdded: e.DateAdded, DueDate: e.DueDate, Ransomware: e.KnownRansomwareCampaignUse})
	}
	return entries, skipped, nil
}

// Result says what one Sync did.
type Result struct {
	NotModified bool
	Entries     int
	Skipped     int
}

// Sync fetches the catalogue (conditionally on its last ETag) and replaces the
// stored one in one transaction. On error the old catalogue stays.
func (f *Feed) Sync(ctx context.Context, db *vulndb.DB) (Result, error) {
	res, err := f.sync(ctx, db)
	if err != nil {
		err = db.FailSync(ctx, Source, "", f.Now(), fmt.Errorf("kev: %w", err))
	}
	return res, err
}

func (f *Feed) sync(ctx context.Context, db *vulndb.DB) (Result, error) {
	var res Result
	st, _, err := db.FeedState(ctx, Source, "")
	if err != nil {
		return res, err
	}
	resp, err := f.Client.Get(ctx, fetch.Request{URL: f.URL, ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		return res, err
	}
	now := f.Now()
	st.Source, st.LastSync, st.LastAttempt, st.LastError = Source, now, now, ""
	if resp.NotModified {
		res.NotModified = true
		return res, db.Update(ctx, Source, func(tx *vulndb.Tx) error { return tx.SetFeedState(ctx, st) })
	}
	entries, skipped, err := Parse(resp.Body)
	if err != nil {
		return res, err
	}
	res.Entries, res.Skipped = len(entries), skipped
	st.ETag, st.LastModified, st.Records, st.Skipped = resp.ETag, resp.LastModified, int64(len(entries)), int64(skipped)
	st.Cursor = resp.LastModified
	return res, db.Update(ctx, Source, func(tx *vulndb.Tx) error {
		if err := tx.ReplaceKEV(ctx, entries); err != nil {
			return err
		}
		return tx.SetFeedState(ctx, st)
	})
}
