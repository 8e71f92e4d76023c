package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type scanPolicyJSON struct {
	Findings []struct{ ID string }
	Policy   *evalJSON
}

// TestScanPolicy: scan --policy gives findings and the verdict from one pass;
// the verdict is exactly evaluate's, and STOP or --fail-on exits 1.
func TestScanPolicy(t *testing.T) {
	ref, dbDir := evalFixture(t)
	base := []string{"scan", ref, "--db-dir", dbDir, "--tag", "docker.io/example/app:1.0"}
	out, stderr, code := run(t, append(base, "--policy", bundlePath("all-gates.json"), "-o", "json")...)
	if code != exitFail {
		t.Fatalf("all-gates: exit %d, want %d: %s", code, exitFail, stderr)
	}
	var got scanPolicyJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got.Findings) == 0 || got.Policy == nil || got.Policy.FinalAction != "STOP" {
		t.Fatalf("findings %d, policy %+v; want findings and a STOP verdict", len(got.Findings), got.Policy)
	}
	fired := map[string]bool{}
	for _, r := range got.Policy.Results {
		fired[r.Gate+"/"+r.Trigger] = true
	}
	// Contents only the policy's requests hold: they joined the catalogers' walk.
	for _, want := range []string{"secret_scans/content_regex_checks", "files/content_regex_match", "passwd_file/blacklist_usernames", "vulnerabilities/package"} {
		if !fired[want] {
			t.Errorf("scan --policy: no result from %s", want)
		}
	}

	for _, bundle := range []string{"all-gates.json", "layers-application.json", "native.yaml"} {
		t.Run("same as evaluate "+bundle, func(t *testing.T) {
			args := []string{"--policy", bundlePath(bundle), "--base-layers", "1"}
			scanOut, stderr, scanCode := run(t, append(append(base, args...), "-o", "policy-json")...)
			evalOut, _, evalCode := run(t, append(append([]string{"evaluate", ref, "--db-dir", dbDir, "--tag", "docker.io/example/app:1.0"}, args...), "-o", "json")...)
			if scanCode != evalCode {
				t.Errorf("scan exit %d, evaluate exit %d: %s", scanCode, evalCode, stderr)
			}
			if diff := cmp.Diff(evalOut, scanOut); diff != "" {
				t.Errorf("scan -o policy-json differs from evaluate -o json (-evaluate +scan):\n%s", diff)
			}
		})
	}

	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"GO passes", []string{"--policy", bundlePath("layers-base.json"), "--base-layers", "1"}, exitPass, "Final action: GO", ""},
		{"fail-on still fails", []string{"--policy", bundlePath("layers-base.json"), "--base-layers", "1", "--fail-on", "low"}, exitFail, "Final action: GO", "findings at or above low severity"},
		{"STOP fails", []string{"--policy", bundlePath("layers-application.json"), "--base-layers", "1"}, exitFail, "Final action: STOP", "policy final action STOP (policy_evaluation)"},
		{"no policy, no verdict", nil, exitPass, "", ""},
		{"policy format without policy", []string{"-o", "policy-junit"}, exitError, "", "-o policy-junit needs --policy FILE"},
		{"scoped rule without base", []string{"--policy", bundlePath("layers-base.json")}, exitError, "", "base"},
		{"bad bundle", []string{"--policy", bundlePath("README.md")}, exitError, "", "README.md"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := run(t, append(base, tc.args...)...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(stderr, tc.err) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q), stdout:\n%s", code, tc.code, stderr, tc.err, out)
			}
			if tc.out == "" && strings.Contains(out, "Policy evaluation") {
				t.Errorf("a verdict without --policy:\n%s", out)
			}
			if tc.out != "" && !strings.Contains(out, "Policy evaluation") {
				t.Errorf("table lacks the policy section:\n%s", out)
			}
		})
	}
}
