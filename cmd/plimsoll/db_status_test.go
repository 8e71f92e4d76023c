package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func TestDBStaleFeeds(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	feeds := []vulndb.FeedState{
		{Source: "osv", Ecosystem: "PyPI", LastSync: now.Add(-time.Hour)},
		{Source: "osv", Ecosystem: "npm", LastSync: now.Add(-30 * time.Hour)},
		{Source: "nvd"}, // never succeeded
		{Source: "kev", LastSync: now.Add(-23 * time.Hour)},
	}
	if diff := cmp.Diff([]string{"osv/npm", "nvd"}, dbStaleFeeds(feeds, now, 24*time.Hour)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"(never updated)"}, dbStaleFeeds(nil, now, time.Hour)); diff != "" {
		t.Errorf("empty db (-want +got)\n%s", diff)
	}
}
