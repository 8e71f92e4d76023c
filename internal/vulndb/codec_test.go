package vulndb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fixtureEntries returns the affected entries of the records in testdata/osv.
func fixtureEntries(t *testing.T) []Affected {
	t.Helper()
	files, _ := filepath.Glob("testdata/osv/*.json")
	var entries []Affected
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, v.Affected...)
	}
	return entries
}

func TestAffectedCodecRoundTrip(t *testing.T) {
	entries := append(fixtureEntries(t), Affected{
		Package:  Package{Ecosystem: "npm", Name: "x"},
		Severity: []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
		Ranges: []Range{{Type: "GIT", Repo: "https://example.org/r", Events: []Event{{Introduced: "0"}, {LastAffected: "a"}, {Limit: "b"}},
			DatabaseSpecific: json.RawMessage(`{"k":1}`)}},
		DatabaseSpecific: json.RawMessage(`{"source":"x"}`),
	})
	for _, a := range entries {
		var got Affected
		if err := decodeAffected(string(encodeAffected(&a)), &got, false); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("round trip (-want +got)\n%s", diff)
		}
		js, _ := json.Marshal(a) // the legacy JSON form still decodes
		var legacy Affected
		if err := decodeAffected(string(js), &legacy, false); err != nil || len(legacy.Ranges) != len(a.Ranges) {
			t.Errorf("legacy JSON: %v", err)
		}
	}
}

func FuzzDecodeAffected(f *testing.F) {
	a := Affected{Package: Package{Ecosystem: "PyPI", Name: "p"}, Ranges: []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}, {Fixed: "1"}}}}, Versions: []string{"0.5"}}
	f.Add(encodeAffected(&a))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var got Affected
		if err := decodeAffected(string(data), &got, false); err != nil || (len(data) > 0 && data[0] == '{') {
			return
		}
		// Decoded over a larger entry, reusing its arrays (EachAffected), it
		// must come out the same, with nothing of the earlier entry left.
		reused := largerEntry()
		if err := decodeAffected(string(data), &reused, true); err != nil {
			t.Fatalf("decoding over another entry: %v", err)
		}
		if diff := cmp.Diff(got, reused, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("decoded over another entry (-fresh +reused)\n%s", diff)
		}
		// What decodes must survive encoding and decoding again unchanged.
		var again Affected
		if err := decodeAffected(string(encodeAffected(&got)), &again, false); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("(-first +second)\n%s", diff)
		}
	})
}

// largerEntry has more of everything than a small fuzzed entry, every field set.
func largerEntry() Affected {
	events := func() []Event {
		return []Event{{Introduced: "0"}, {Fixed: "1", LastAffected: "x"}, {LastAffected: "2"}, {Limit: "3"}, {Introduced: "4", Limit: "y"}}
	}
	return Affected{
		Package:  Package{Ecosystem: "e", Name: "n", Purl: "pkg:x/n"},
		Severity: []Severity{{Type: "t1", Score: "s1"}, {Type: "t2", Score: "s2"}, {Type: "t3", Score: "s3"}},
		Ranges: []Range{
			{Type: "ECOSYSTEM", Repo: "r", Events: events(), DatabaseSpecific: json.RawMessage(`{"a":1}`)},
			{Type: "SEMVER", Repo: "r", Events: events(), DatabaseSpecific: json.RawMessage(`{"b":1}`)},
			{Type: "GIT", Repo: "r", Events: events(), DatabaseSpecific: json.RawMessage(`{"c":1}`)},
		},
		Versions:          []string{"v1", "v2", "v3", "v4"},
		EcosystemSpecific: json.RawMessage(`{"d":1}`),
		DatabaseSpecific:  json.RawMessage(`{"e":1}`),
	}
}

// TestDecodeOverLargerEntry is FuzzDecodeAffected's reuse check on the
// records of testdata/osv and on entries with fewer ranges and events than
// the one they are decoded over.
func TestDecodeOverLargerEntry(t *testing.T) {
	entries := []Affected{
		{Package: Package{Ecosystem: "npm", Name: "x"}},
		{Package: Package{Ecosystem: "npm", Name: "x"}, Ranges: []Range{{Type: "SEMVER", Events: []Event{{Introduced: "0"}}}}},
		{Package: Package{Ecosystem: "npm", Name: "x"}, Ranges: []Range{{Type: "SEMVER", Events: []Event{{Fixed: "1"}, {Introduced: "2"}}}}, Versions: []string{"9"}},
	}
	for _, a := range append(entries, fixtureEntries(t)...) {
		reused := largerEntry()
		if err := decodeAffected(string(encodeAffected(&a)), &reused, true); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, reused, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s %s (-want +got)\n%s", a.Package.Ecosystem, a.Package.Name, diff)
		}
	}
}
