package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvaluateReports writes the JUnit and SARIF reports to files next to the
// table on stdout; the STOP verdict still exits 1.
func TestEvaluateReports(t *testing.T) {
	ref, dbDir := evalFixture(t)
	dir := t.TempDir()
	junitPath, sarifPath := filepath.Join(dir, "policy.xml"), filepath.Join(dir, "policy.sarif")
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--tag", "docker.io/example/app:1.0",
		"-o", "table", "-o", "junit="+junitPath, "-o", "sarif="+sarifPath)
	if code != exitFail {
		t.Fatalf("exit %d, want %d: %s", code, exitFail, stderr)
	}
	if !strings.Contains(out, "STOP") {
		t.Errorf("table on stdout lacks the verdict:\n%s", out)
	}
	b, err := os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &suites); err != nil {
		t.Fatalf("junit: %v\n%s", err, b)
	}
	failed := map[string]bool{}
	for _, s := range suites.Suites {
		for _, c := range s.Cases {
			failed[c.Name] = c.Failure != nil
		}
	}
	for _, name := range []string{"dockerfile/exposed_ports 22", "dockerfile/effective_user root", "final action"} {
		if !failed[name] {
			t.Errorf("junit: no failed case %q (cases %v)", name, failed)
		}
	}
	b, err = os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Properties map[string]string
			Results    []struct{ RuleID, Level string }
		}
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("sarif: %v\n%s", err, b)
	}
	if len(log.Runs) != 1 || log.Runs[0].Properties["finalAction"] != "STOP" {
		t.Fatalf("sarif runs %+v", log.Runs)
	}
	levels := map[string]string{}
	for _, r := range log.Runs[0].Results {
		levels[r.RuleID] = r.Level
	}
	if levels["dockerfile/exposed_ports"] != "error" || levels["dockerfile/instruction"] != "warning" {
		t.Errorf("sarif levels %v, want exposed_ports error and instruction (HEALTHCHECK) warning", levels)
	}
}
