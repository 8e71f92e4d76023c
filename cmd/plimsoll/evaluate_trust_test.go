package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// TestEvaluateTrust: evaluate and scan --policy give the trust gate what
// --key and --base-catalog find, and the approved base the catalogue detects
// scopes layer rules when neither --base nor --base-layers is given.
func TestEvaluateTrust(t *testing.T) {
	_, dbDir := evalFixture(t)
	ctx := context.Background()
	reg := testRegistry(t)
	dir := t.TempDir()
	k := cosigntest.ECDSAKey(t)
	keyFile, catalog := filepath.Join(dir, "cosign.pub"), filepath.Join(dir, "bases.json")
	if err := os.WriteFile(keyFile, cosigntest.PublicPEM(t, k), 0o644); err != nil {
		t.Fatal(err)
	}
	baseRepo := reg + "/trusted/debian"
	cosigntest.Sign(ctx, t, baseRepo, push(t, baseRepo+":12", layersImage(t, nil, "debian")), k)
	if out, errOut, code := run(t, "base", "add", baseRepo+":12", "--key", keyFile, "--catalog", catalog); code != exitPass {
		t.Fatalf("base add: %q %q exit %d", out, errOut, code)
	}
	good := reg + "/trusted/app:1"
	cosigntest.Sign(ctx, t, reg+"/trusted/app", push(t, good, layersImage(t, nil, "debian", "app")), k)
	bad := reg + "/trusted/other:1"
	push(t, bad, layersImage(t, nil, "alpine", "app"))

	trustBundle := writeTemp(t, "trust.yaml", `version: plimsoll/v1
id: trust
default_action: STOP
policies:
  - id: p
    rules:
      - {gate: trust, trigger: unsigned, action: STOP}
      - {gate: trust, trigger: base_not_approved, action: STOP}
mappings:
  - {registry: "*", repository: "*", tag: "*", policies: [p]}
`)
	scopedBundle := writeTemp(t, "scoped.yaml", `version: plimsoll/v1
id: scoped
default_action: STOP
policies:
  - id: p
    rules:
      - {gate: files, trigger: name_match, action: STOP, layers: base, params: {regex: "app$"}}
mappings:
  - {registry: "*", repository: "*", tag: "*", policies: [p]}
`)
	trust := []string{"--key", keyFile, "--base-catalog", catalog}
	tests := []struct {
		name    string
		args    []string
		code    int
		trigger []string
		stderr  string
	}{
		{"signed on the approved base", append([]string{"evaluate", good, "--policy", trustBundle, "-o", "json"}, trust...), exitPass, nil, ""},
		{"unsigned on another base", append([]string{"evaluate", bad, "--policy", trustBundle, "-o", "json"}, trust...), exitFail, []string{"trust/unsigned", "trust/base_not_approved"}, ""},
		{"scan --policy too", append([]string{"scan", bad, "--policy", trustBundle, "-o", "policy-json"}, trust...), exitFail, []string{"trust/unsigned", "trust/base_not_approved"}, ""},
		{"catalogue base scopes layer rules", append([]string{"evaluate", good, "--policy", scopedBundle, "-o", "json"}, trust...), exitPass, nil, ""},
		{"--base-layers wins over the catalogue", append([]string{"evaluate", good, "--policy", scopedBundle, "--base-layers", "2", "-o", "json"}, trust...), exitFail, []string{"files/name_match"}, ""},
		{"no base without the catalogue", []string{"evaluate", good, "--policy", scopedBundle}, exitError, nil, "base is unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{}, tc.args...), "--db-dir", dbDir)
			out, stderr, code := run(t, args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)\n%s", code, tc.code, stderr, tc.stderr, out)
			}
			if code == exitError {
				return
			}
			var ev evalJSON
			if err := json.Unmarshal([]byte(out), &ev); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			var got []string
			for _, r := range ev.Results {
				got = append(got, r.Gate+"/"+r.Trigger)
			}
			if diff := cmp.Diff(tc.trigger, got); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}
