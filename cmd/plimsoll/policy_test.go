package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/plimsoll/plimsoll/internal/policy"
)

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyValidate(t *testing.T) {
	badNative := writeTemp(t, "bad.yaml", `version: plimsoll/v1
id: b
default_action: WARN
policies:
  - id: p
    rules:
      - gate: dockerfile
        trigger: exposed_ports
        action: HALT
`)
	badParam := writeTemp(t, "param.json", `{
  "id": "b", "version": "1_0",
  "policies": [{"id": "p", "rules": [
    {"id": "r1", "gate": "always", "trigger": "always", "action": "GO"},
    {"id": "r2", "gate": "dockerfile", "trigger": "exposed_ports", "action": "STOP",
     "params": [{"name": "ports", "value": "22"}, {"name": "type", "value": "deny"}]}]}],
  "mappings": []
}`)
	goDefault := writeTemp(t, "go.yaml", "version: plimsoll/v1\nid: g\ndefault_action: GO\n")
	tests := []struct {
		name     string
		file     string
		code     int
		out, err string
	}{
		{"anchore", bundlePath("all-gates.json"), exitPass, "all-gates.json: valid: bundle all-gates, 1 policies, 24 rules, 2 allowlist items, 2 mappings", ""},
		{"native", bundlePath("native.yaml"), exitPass, "native.yaml: valid", ""},
		{"default", "default", exitPass, "default: valid", ""},
		{"go default warns", goDefault, exitPass, "warning: " + goDefault + ":3: default_action GO", ""},
		{"native action", badNative, exitError, "", `bad.yaml:9: policies[0].rules[0].action: "HALT" is not GO, WARN or STOP`},
		{"anchore param", badParam, exitError, "", `param.json:5: policies[0].rules[1] (id r2): dockerfile/exposed_ports: param type: "deny" is not one of`},
		{"missing", filepath.Join(t.TempDir(), "none.json"), exitError, "", "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := run(t, "policy", "validate", tc.file)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(stderr, tc.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q", code, out, stderr, tc.code, tc.out, tc.err)
			}
		})
	}
}

// TestPolicyDescribe: every gate, trigger and parameter of policy.Gates() is
// described, with its type, default and description.
func TestPolicyDescribe(t *testing.T) {
	out, stderr, code := run(t, "policy", "describe", "-o", "json")
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []gateDoc
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var want []gateDoc
	for _, g := range policy.Gates() {
		gd := gateDoc{Name: g.Name(), Description: g.Description(), Triggers: []triggerDoc{}}
		for _, tr := range g.Triggers() {
			gd.Triggers = append(gd.Triggers, triggerDoc{Name: tr.Name(), Description: tr.Description(), Params: tr.Params()})
		}
		want = append(want, gd)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b gateDoc) bool { return a.Name < b.Name })); diff != "" {
		t.Errorf("describe (-want +got):\n%s", diff)
	}

	table, _, code := run(t, "policy", "describe")
	if code != exitPass {
		t.Fatalf("table: exit %d", code)
	}
	for _, g := range policy.Gates() {
		if !strings.Contains(table, "GATE "+g.Name()) {
			t.Errorf("table does not describe gate %s", g.Name())
		}
		for _, tr := range g.Triggers() {
			if !strings.Contains(table, "TRIGGER "+tr.Name()) {
				t.Errorf("table does not describe %s/%s", g.Name(), tr.Name())
			}
		}
	}
	for _, line := range []string{
		"    type", "enum (whitelist|blacklist|allowlist|denylist), required; whitelist/allowlist",
		"    max_days_since_fix", "with fix_available true",
	} {
		if !strings.Contains(table, line) {
			t.Errorf("table lacks %q", line)
		}
	}

	one, _, code := run(t, "policy", "describe", "Dockerfile")
	if code != exitPass || !strings.Contains(one, "GATE dockerfile") || strings.Contains(one, "GATE files") {
		t.Errorf("describe Dockerfile: exit %d\n%s", code, one)
	}
	if _, stderr, code := run(t, "policy", "describe", "nope"); code != exitError || !strings.Contains(stderr, `gate "nope" is unknown (gates: always, dockerfile,`) {
		t.Errorf("unknown gate: exit %d, %s", code, stderr)
	}
}

// TestPolicyConvert converts every bundle in internal/policy/testdata and the
// default: the native output validates, reads back to the same model, and
// evaluates the fixture to the same results and verdict as the original.
func TestPolicyConvert(t *testing.T) {
	ref, dbDir := evalFixture(t)
	paths, _ := filepath.Glob(bundlePath("*.json"))
	paths = append(paths, filepath.Join("..", "..", "internal", "policy", "default.json"))
	if len(paths) < 4 {
		t.Fatalf("found only %d bundles", len(paths))
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			native := filepath.Join(t.TempDir(), "native.yaml")
			if _, stderr, code := run(t, "policy", "convert", p, "-o", native); code != exitPass {
				t.Fatalf("convert: exit %d: %s", code, stderr)
			}
			if out, stderr, code := run(t, "policy", "validate", native); code != exitPass {
				t.Fatalf("validate converted: exit %d: %s%s", code, out, stderr)
			}
			orig, err := policy.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			back, err := policy.ReadFile(native)
			if err != nil {
				t.Fatal(err)
			}
			want := *orig
			want.DefaultAction = policy.GO
			want.Whitelists = nil
			for _, w := range orig.Whitelists {
				w.Items = append([]policy.WhitelistItem(nil), w.Items...)
				for i := range w.Items {
					w.Items[i].Reason = policy.ConvertedReason
				}
				want.Whitelists = append(want.Whitelists, w)
			}
			want.Mappings = append([]policy.Mapping(nil), orig.Mappings...)
			for i := range want.Mappings {
				want.Mappings[i].PolicyIDs, want.Mappings[i].PolicyID = want.Mappings[i].Policies(), ""
			}
			opts := []cmp.Option{cmpopts.IgnoreUnexported(policy.Bundle{}), cmpopts.IgnoreFields(policy.Bundle{}, "File"), cmpopts.EquateEmpty()}
			if diff := cmp.Diff(&want, back, opts...); diff != "" {
				t.Errorf("converted model (-want +got):\n%s", diff)
			}
			evaluate := func(bundle string) (evalJSON, int) {
				out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--tag", "docker.io/example/app:1.0",
					"--base-layers", "1", "--policy", bundle, "-o", "json")
				var ev evalJSON
				if err := json.Unmarshal([]byte(out), &ev); err != nil {
					t.Fatalf("evaluate %s: exit %d: %v\n%s", bundle, code, err, stderr)
				}
				return ev, code
			}
			wantEv, wantCode := evaluate(p)
			gotEv, gotCode := evaluate(native)
			if gotCode != wantCode {
				t.Errorf("exit %d with the converted bundle, %d with the original", gotCode, wantCode)
			}
			if diff := cmp.Diff(wantEv, gotEv); diff != "" {
				t.Errorf("evaluation (-original +converted):\n%s", diff)
			}
		})
	}
	if _, stderr, code := run(t, "policy", "convert", writeTemp(t, "bad.json", `{"id":"b","version":"1_0","policies":[{"id":"p","rules":[{"gate":"nope","trigger":"x","action":"GO"}]}]}`)); code != exitError || !strings.Contains(stderr, `gate "nope" is unknown`) {
		t.Errorf("invalid bundle: exit %d, %s", code, stderr)
	}
}
