package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

func sampleEvaluation(final policy.Action) *policy.Evaluation {
	expired := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	return &policy.Evaluation{
		Image: gate.Identity{Reference: "docker.io/example/app:1"}, Bundle: "b", FinalAction: final, Reason: policy.ReasonPolicy,
		Results: []policy.Result{
			{Policy: "main", RuleID: "r1", Gate: "dockerfile", Trigger: "exposed_ports", TriggerID: "22", Detail: "port 22 is exposed", Action: policy.STOP, Layer: 1, DiffID: "sha256:b", CreatedBy: "EXPOSE 22"},
			{Policy: "main", RuleID: "r2", Gate: "dockerfile", Trigger: "instruction", TriggerID: "HEALTHCHECK", Detail: "no HEALTHCHECK", Action: policy.WARN, Layer: gate.NoLayer},
			{Policy: "main", RuleID: "r3", Gate: "vulnerabilities", Trigger: "package", TriggerID: "CVE-1+lodash", Detail: "CVE-1 in lodash", Action: policy.STOP, Layer: 1, Path: "/app/node_modules/lodash/package.json",
				Whitelisted: true, AllowedBy: &policy.AllowRef{Whitelist: "w", Item: "i1", Reason: "not reachable"}},
			{Policy: "extra", RuleID: "r4", Gate: "files", Trigger: "suid_or_guid_set", TriggerID: "/usr/bin/su", Detail: "setuid", Action: policy.STOP, Layer: 0, Path: "/usr/bin/su",
				AllowedBy: &policy.AllowRef{Whitelist: "w", Item: "i2", Expires: &expired, Expired: true}},
			{Policy: "extra", Gate: "always", Trigger: "always", TriggerID: "always", Detail: "always fires", Action: policy.GO, Layer: gate.NoLayer},
		},
	}
}

type junitCaseOut struct {
	Name    string `xml:"name,attr"`
	Failure *struct {
		Type string `xml:"type,attr"`
	} `xml:"failure"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
}

type junitOut struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Name     string         `xml:"name,attr"`
		Tests    int            `xml:"tests,attr"`
		Failures int            `xml:"failures,attr"`
		Skipped  int            `xml:"skipped,attr"`
		Cases    []junitCaseOut `xml:"testcase"`
	} `xml:"testsuite"`
}

// caseState is how a JUnit case ended: fail, skip or pass.
func caseState(c junitCaseOut) string {
	switch {
	case c.Failure != nil:
		return "fail"
	case c.Skipped != nil:
		return "skip: " + c.Skipped.Message
	}
	return "pass"
}

func TestWritePolicyJUnit(t *testing.T) {
	for _, final := range []policy.Action{policy.STOP, policy.WARN} {
		t.Run(string(final), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WritePolicyJUnit(&buf, sampleEvaluation(final)); err != nil {
				t.Fatal(err)
			}
			var got junitOut
			if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("not XML: %v\n%s", err, buf.String())
			}
			states := map[string]string{}
			counts := map[string][3]int{}
			for _, s := range got.Suites {
				counts[s.Name] = [3]int{s.Tests, s.Failures, s.Skipped}
				for _, c := range s.Cases {
					states[c.Name] = caseState(c)
				}
			}
			finalState, finalFailures := "pass", 0
			if final == policy.STOP {
				finalState, finalFailures = "fail", 1
			}
			want := map[string]string{
				"dockerfile/exposed_ports 22":          "fail",
				"dockerfile/instruction HEALTHCHECK":   "pass",
				"vulnerabilities/package CVE-1+lodash": "skip: allowlisted by w/i1: not reachable",
				"files/suid_or_guid_set /usr/bin/su":   "fail",
				"always/always always":                 "pass",
				"final action":                         finalState,
			}
			if diff := cmp.Diff(want, states); diff != "" {
				t.Errorf("cases (-want +got):\n%s", diff)
			}
			wantCounts := map[string][3]int{"policy main": {3, 1, 1}, "policy extra": {2, 1, 0}, "verdict docker.io/example/app:1": {1, finalFailures, 0}}
			if diff := cmp.Diff(wantCounts, counts); diff != "" {
				t.Errorf("suite tests/failures/skipped (-want +got):\n%s", diff)
			}
			if got.Tests != 6 || got.Failures != 2+finalFailures {
				t.Errorf("totals %d tests %d failures, want 6 and %d", got.Tests, got.Failures, 2+finalFailures)
			}
		})
	}
}

type sarifOut struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Properties map[string]string `json:"properties"`
		Results    []struct {
			RuleID    string `json:"ruleId"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Suppressions []struct {
				Kind, Status, Justification string
			} `json:"suppressions"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func TestWritePolicySARIF(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePolicySARIF(&buf, sampleEvaluation(policy.STOP), "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var got sarifOut
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if got.Version != "2.1.0" || len(got.Runs) != 1 {
		t.Fatalf("version %q, %d runs", got.Version, len(got.Runs))
	}
	run := got.Runs[0]
	var rules []string
	for _, r := range run.Tool.Driver.Rules {
		rules = append(rules, r.ID)
	}
	wantRules := []string{"always/always", "dockerfile/exposed_ports", "dockerfile/instruction", "files/suid_or_guid_set", "vulnerabilities/package"}
	if diff := cmp.Diff(wantRules, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	type row struct{ Rule, Level, URI, Suppression, Fingerprint string }
	var rows []row
	for _, r := range run.Results {
		rw := row{Rule: r.RuleID, Level: r.Level, URI: r.Locations[0].PhysicalLocation.ArtifactLocation.URI, Fingerprint: r.PartialFingerprints["plimsoll/policy/v1"]}
		for _, s := range r.Suppressions {
			rw.Suppression = s.Kind + " " + s.Status + " " + s.Justification
		}
		rows = append(rows, rw)
	}
	want := []row{
		{"dockerfile/exposed_ports", "error", "Dockerfile", "", "dockerfile/exposed_ports+22"},
		{"dockerfile/instruction", "warning", "Dockerfile", "", "dockerfile/instruction+HEALTHCHECK"},
		{"vulnerabilities/package", "error", "app/node_modules/lodash/package.json", "external accepted allowlisted by w/i1: not reachable", "vulnerabilities/package+CVE-1+lodash"},
		{"files/suid_or_guid_set", "error", "usr/bin/su", "", "files/suid_or_guid_set+/usr/bin/su"},
		{"always/always", "note", "image", "", "always/always+always"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	wantProps := map[string]string{"image": "docker.io/example/app:1", "bundle": "b", "finalAction": "STOP", "reason": "policy_evaluation"}
	if diff := cmp.Diff(wantProps, run.Properties); diff != "" {
		t.Errorf("run properties (-want +got):\n%s", diff)
	}
}
