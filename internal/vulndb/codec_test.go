package vulndb

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAffectedCodecRoundTrip(t *testing.T) {
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
	entries = append(entries, Affected{
		Package:  Package{Ecosystem: "npm", Name: "x"},
		Severity: []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
		Ranges: []Range{{Type: "GIT", Repo: "https://example.org/r", Events: []Event{{Introduced: "0"}, {LastAffected: "a"}, {Limit: "b"}},
			DatabaseSpecific: json.RawMessage(`{"k":1}`)}},
		DatabaseSpecific: json.RawMessage(`{"source":"x"}`),
	})
	for _, a := range entries {
		var got Affected
		if err := decodeAffected(encodeAffected(&a), &got); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("round trip (-want +got)\n%s", diff)
		}
		js, _ := json.Marshal(a) // the legacy JSON form still decodes
		var legacy Affected
		if err := decodeAffected(js, &legacy); err != nil || len(legacy.Ranges) != len(a.Ranges) {
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
		if err := decodeAffected(data, &got); err != nil || (len(data) > 0 && data[0] == '{') {
			return
		}
		// data may be the driver's reused memory (sql.RawBytes): nothing
		// decoded may change when it is overwritten.
		want := encodeAffected(&got)
		for i := range data {
			data[i] = 0xff
		}
		if g := encodeAffected(&got); !bytes.Equal(g, want) {
			t.Fatalf("the decoded entry changed when its input was overwritten")
		}
		// What decodes must survive encoding and decoding again unchanged.
		var again Affected
		if err := decodeAffected(encodeAffected(&got), &again); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("(-first +second)\n%s", diff)
		}
	})
}
