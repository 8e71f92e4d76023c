package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/ignore"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func finding(id, name, level string, score float64, fix string) match.Finding {
	f := match.Finding{ID: id, SeverityLevel: level, FixState: match.NotFixed, Summary: "summary of " + id,
		Package: match.PackageRef{Name: name, Version: "1.0", Type: sbom.TypeNpm, PURL: "pkg:npm/" + name + "@1.0", Path: "/app/node_modules/" + name + "/package.json", IntroducedBy: 1}}
	if score > 0 {
		f.CVSS = &match.Score{Version: "3.1", Base: score}
	}
	if fix != "" {
		f.FixState, f.NearestFix = match.Fixed, fix
	}
	return f
}

func sample(failOn string) *Scan {
	res := &match.Result{Findings: []match.Finding{
		finding("CVE-1", "a", "critical", 9.8, "1.1"),
		finding("CVE-2", "b", "medium", 5.0, ""),
		finding("CVE-3", "c", "low", 2.0, "2.0"),
	}}
	rules := []ignore.Rule{
		{ID: "CVE-3", Reason: "test only", Source: "x.yaml:2"},
		{ID: "CVE-2", Reason: "expired", Source: "x.yaml:4", Expires: &ignore.Date{Time: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}
	doc := &sbom.SBOM{Source: sbom.Source{Reference: "oci-dir:img"}}
	return NewScan(doc, res, ScanOptions{FailOn: failOn, Rules: rules, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
}

func TestNewScan(t *testing.T) {
	rep := sample("medium")
	var ids []string
	for _, f := range rep.Findings {
		ids = append(ids, f.ID)
	}
	if diff := cmp.Diff([]string{"CVE-1", "CVE-2"}, ids); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(rep.Ignored) != 1 || rep.Ignored[0].ID != "CVE-3" || len(rep.ExpiredRules) != 1 || !rep.Failed {
		t.Errorf("ignored %v expired %v failed %t", rep.Ignored, rep.ExpiredRules, rep.Failed)
	}
	if diff := cmp.Diff(map[string]int{"critical": 1, "medium": 1}, rep.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if sample("critical").Failed != true || NewScan(&sbom.SBOM{}, &match.Result{Findings: []match.Finding{finding("CVE-2", "b", "medium", 5, "")}}, ScanOptions{FailOn: "high"}).Failed {
		t.Error("fail-on threshold is wrong")
	}
	var all []match.Finding
	for _, f := range sample("").Findings {
		all = append(all, f.Finding)
	}
	only := NewScan(&sbom.SBOM{}, &match.Result{Findings: all}, ScanOptions{OnlyFixed: true, Severities: []string{"critical", "low"}})
	if len(only.Findings) != 1 || only.Findings[0].ID != "CVE-1" {
		t.Errorf("--only-fixed --severity critical,low kept %v", only.Findings)
	}
}

func TestWriteSARIF(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, sample("high"), "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct {
						ID         string
						Properties map[string]any
					}
				}
			}
			Results []struct {
				RuleID, Level string
				Locations     []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Name != "plimsoll" || len(run.Tool.Driver.Rules) != 2 || len(run.Results) != 2 {
		t.Fatalf("sarif = %s", b.String())
	}
	if got := run.Tool.Driver.Rules[0].Properties["security-severity"]; got != "9.8" {
		t.Errorf("security-severity = %v, want 9.8", got)
	}
	if run.Results[0].Level != "error" || run.Results[1].Level != "warning" {
		t.Errorf("levels = %s, %s; want error (critical ≥ high), warning", run.Results[0].Level, run.Results[1].Level)
	}
	if uri := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "app/node_modules/a/package.json" {
		t.Errorf("uri = %q", uri)
	}
}

func TestWriteJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, sample("high")); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suite    struct {
			Skipped int `xml:"skipped,attr"`
			Cases   []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 3 || doc.Failures != 1 || doc.Suite.Skipped != 1 || doc.Suite.Cases[0].Failure == nil || doc.Suite.Cases[1].Failure != nil {
		t.Errorf("junit = %s", b.String())
	}
	b.Reset()
	if err := WriteJUnit(&b, NewScan(&sbom.SBOM{}, &match.Result{}, ScanOptions{})); err != nil || !strings.Contains(b.String(), "no known vulnerabilities") {
		t.Errorf("clean image junit = %s, %v", b.String(), err)
	}
}

func TestTemplate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.tmpl")
	if err := os.WriteFile(p, []byte(`{{range .Findings}}{{.ID}} {{upper .SeverityLevel}}
{{end}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tmpl, err := ParseTemplate(p)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTemplate(&b, sample(""), tmpl); err != nil {
		t.Fatal(err)
	}
	if b.String() != "CVE-1 CRITICAL\nCVE-2 MEDIUM\n" {
		t.Errorf("template output %q", b.String())
	}
	if err := os.WriteFile(p, []byte(`{{.Nope`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTemplate(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("bad template error = %v", err)
	}
}
