package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// TestEvaluateDataUnavailable: vulnerability_data_unavailable fires for an
// image whose distribution release no advisory in the database covers
// (Debian 11 against a database of Debian 12, Alpine, npm and PyPI records),
// and stays quiet for the covered Debian 12 image; its Anchore ID is the hash
// of Anchore's message naming the distribution.
func TestEvaluateDataUnavailable(t *testing.T) {
	covered, dbDir := evalFixture(t)
	im := evalImage()
	im.Layers[0].Entries[0] = imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"11\"\nVERSION_CODENAME=bullseye\n")
	uncovered := writeImage(t, im)
	bundle := filepath.Join(t.TempDir(), "unavailable.json")
	if err := os.WriteFile(bundle, []byte(`{"id":"u","version":"1_0","policies":[{"id":"p","rules":[
		{"gate":"vulnerabilities","trigger":"vulnerability_data_unavailable","action":"STOP"}]}],
		"mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"p"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref  string
		code int
		want []string
	}{
		{covered, exitPass, nil},
		{uncovered, exitFail, []string{"vulnerability_data_unavailable:Debian:11 0bbf4d9cbec8c869649641756c400911"}},
	} {
		out, stderr, code := run(t, "evaluate", tc.ref, "--db-dir", dbDir, "--policy", bundle, "-o", "json")
		if code != tc.code {
			t.Fatalf("%s: exit %d, want %d: %s\n%s", tc.ref, code, tc.code, stderr, out)
		}
		var ev struct {
			Results []struct{ TriggerID, AnchoreTriggerID string }
		}
		if err := json.Unmarshal([]byte(out), &ev); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range ev.Results {
			got = append(got, r.TriggerID+" "+r.AnchoreTriggerID)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: results (-want +got):\n%s", tc.ref, diff)
		}
	}
}
