package vulndb

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Every fixture's brief, read back from the database, equals the brief of the
// record decoded from its file; so does the brief of a row stored before schema
// 3 (brief NULL), which is read from the raw record instead.
func TestBriefs(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	loadFixtures(t, db)
	entries, err := os.ReadDir("testdata/osv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*Brief{}
	var ids []string
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join("testdata/osv", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		v, err := Parse(raw)
		if err != nil {
			continue // the fixtures include invalid records
		}
		want[v.ID] = BriefOf(v)
		ids = append(ids, v.ID)
	}
	if len(ids) < 3 {
		t.Fatalf("only %d fixtures parsed", len(ids))
	}
	got, err := db.Briefs(ctx, append(ids, "NOPE-1"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("briefs (-want +got)\n%s", diff)
	}
	// By RecordRef, as the matcher reads them, with a ref no record has.
	wantOf := map[RecordRef]*Brief{}
	refs := []RecordRef{1 << 40}
	rows, err := db.sql.QueryContext(ctx, `SELECT rowid, id FROM advisory`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ref RecordRef
		var id string
		if err := rows.Scan(&ref, &id); err != nil {
			t.Fatal(err)
		}
		if want[id] != nil {
			undated := *want[id] // BriefsOf leaves the dates out
			undated.Modified, undated.Published = time.Time{}, time.Time{}
			wantOf[ref] = &undated
			refs = append(refs, ref)
		}
	}
	rows.Close()
	gotOf, err := db.BriefsOf(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantOf, gotOf); diff != "" {
		t.Errorf("briefs by ref (-want +got)\n%s", diff)
	}

	if _, err := db.sql.ExecContext(ctx, `DELETE FROM brief`); err != nil {
		t.Fatal(err)
	}
	got, err = db.Briefs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("briefs read from raw (-want +got)\n%s", diff)
	}
	gotOf, err = db.BriefsOf(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantOf, gotOf); diff != "" {
		t.Errorf("briefs by ref read from raw (-want +got)\n%s", diff)
	}
}

func TestBriefCodecRoundTrip(t *testing.T) {
	b := &Brief{ID: "X-1", Modified: time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), Published: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		Aliases: []string{"CVE-1", "GHSA-x"}, Upstream: []string{"CVE-2"}, Summary: "ünïcode summary",
		References: []string{"https://a", "https://b"}, Severity: []Severity{{Type: SeverityCVSSv3, Score: "CVSS:3.1/AV:N"}}}
	got, err := decodeBrief("X-1", encodeBrief(b))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	none := &Brief{ID: "X-2", Modified: b.Modified}
	if got, err := decodeBrief("X-2", encodeBrief(none)); err != nil || !cmp.Equal(none, got) {
		t.Errorf("empty brief: %+v, %v", got, err)
	}
	enc := encodeBrief(b)
	for _, bad := range [][]byte{nil, {0x7f}, enc[:len(enc)-1], append(enc, 0)} {
		if _, err := decodeBrief("X-1", bad); err == nil {
			t.Errorf("decodeBrief(%x) succeeded", bad)
		}
	}
}

func TestCVEInfo(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	score := 9.8
	err := db.Update(ctx, "nvd", func(tx *Tx) error {
		for _, c := range []struct{ cve, version, vector string }{
			{"CVE-1", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
			{"CVE-1", "2.0", "AV:N/AC:L/Au:N/C:C/I:C/A:C"},
			{"CVE-2", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
		} {
			if err := tx.PutCVSS(ctx, c.cve, CVSS{Source: "nvd", Version: c.version, Vector: c.vector, Score: &score}); err != nil {
				return err
			}
		}
		if err := tx.ReplaceKEV(ctx, []KEV{{CVE: "CVE-2", DateAdded: "2024-01-01"}}); err != nil {
			return err
		}
		return tx.ReplaceEPSS(ctx, []EPSS{{CVE: "CVE-1", Score: 0.5, Percentile: 0.9, Date: "2026-01-02"}, {CVE: "CVE-3", Score: 0.1, Percentile: 0.2, Date: "2026-01-02"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.CVEInfo(ctx, []string{"CVE-1", "CVE-2", "CVE-4"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*CVEInfo{
		"CVE-1": {NVD: []CVSS{
			{Source: "nvd", Version: "2.0", Vector: "AV:N/AC:L/Au:N/C:C/I:C/A:C", Score: &score},
			{Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Score: &score},
		}, EPSS: &EPSS{CVE: "CVE-1", Score: 0.5, Percentile: 0.9, Date: "2026-01-02"}},
		"CVE-2": {NVD: []CVSS{{Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Score: &score}},
			KEV: &KEV{CVE: "CVE-2", DateAdded: "2024-01-01"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CVEInfo (-want +got)\n%s", diff)
	}
	// The batch agrees with the one-CVE lookups.
	one, err := db.NVDCVSS(ctx, "CVE-1")
	if err != nil || !cmp.Equal(one, got["CVE-1"].NVD) {
		t.Errorf("NVDCVSS(CVE-1) = %v, %v; batch gave %v", one, err, got["CVE-1"].NVD)
	}
}

func FuzzDecodeBrief(f *testing.F) {
	f.Add(encodeBrief(&Brief{ID: "X", Aliases: []string{"a"}, Summary: "s", Severity: []Severity{{Type: "t", Score: "s"}}}))
	f.Add([]byte{briefCodecV1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeBrief("X", data)
		if err != nil {
			return
		}
		// Decoded twice through one slab, as Briefs decodes a query's rows,
		// the two briefs are equal, and appending to the first's lists does
		// not write into the second's.
		s := briefSlab{chunk: 4}
		first, err1 := s.decode("X", string(data))
		second, err2 := s.decode("X", string(data))
		if err1 != nil || err2 != nil || !cmp.Equal(first, b) || !cmp.Equal(second, b) {
			t.Fatalf("through one slab: %+v, %+v (%v, %v); alone: %+v", first, second, err1, err2, b)
		}
		_ = append(first.Aliases, "appended")
		_ = append(first.Upstream, "appended")
		_ = append(first.References, "appended")
		_ = append(first.Severity, Severity{Type: "appended"})
		if !cmp.Equal(second, b) {
			t.Fatalf("appending to one brief's lists changed the next: %+v, want %+v", second, b)
		}
		// What decodes re-encodes to a form that decodes to the same brief.
		again, err := decodeBrief("X", encodeBrief(b))
		if err != nil || !cmp.Equal(b, again) {
			t.Fatalf("re-decode: %+v vs %+v (%v)", b, again, err)
		}
	})
}

func TestSortedUnique(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{nil, nil},
		{[]string{"a"}, []string{"a"}},
		{[]string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{[]string{"b", "a", "c"}, []string{"a", "b", "c"}},
		{[]string{"a", "a", "b"}, []string{"a", "b"}},
		{[]string{"b", "a", "b"}, []string{"a", "b"}},
	} {
		in := slices.Clone(tc.in)
		if got := sortedUnique(in); !slices.Equal(got, tc.want) {
			t.Errorf("sortedUnique(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("sortedUnique(%q) changed its argument to %q", tc.in, in)
		}
	}
}

// TestBriefReferencesOnce checks that a brief lists each reference URL once,
// both when made from a record that lists one twice (as ADVISORY and as WEB)
// and when read from a brief stored with repeats.
func TestBriefReferencesOnce(t *testing.T) {
	v := &Vulnerability{ID: "X-1", References: []Reference{{Type: "ADVISORY", URL: "https://x/1"}, {Type: "WEB", URL: "https://x/1"}, {Type: "WEB", URL: "https://x/2"}}}
	want := []string{"https://x/1", "https://x/2"}
	if got := BriefOf(v).References; !slices.Equal(got, want) {
		t.Errorf("BriefOf: references %q, want %q", got, want)
	}
	stored := encodeBrief(&Brief{ID: "X-1", References: []string{"https://x/1", "https://x/1", "https://x/2", "https://x/1"}})
	b, err := decodeBrief("X-1", stored)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.References, want) {
		t.Errorf("decodeBrief: references %q, want %q", b.References, want)
	}
}

// decodeBrief decodes one brief row, as readBriefs does.
func decodeBrief(id string, data []byte) (*Brief, error) {
	var s briefSlab
	return s.decode(id, string(data))
}
