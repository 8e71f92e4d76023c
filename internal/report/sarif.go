package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/match"
)

// SARIF 2.1.0, the subset code-scanning services read: one rule per
// vulnerability, one result per finding, located at the package's evidence file.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool      `json:"tool"`
	Results    []sarifResult  `json:"results"`
	Properties map[string]any `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	ShortDescription sarifText      `json:"shortDescription"`
	FullDescription  sarifText      `json:"fullDescription"`
	HelpURI          string         `json:"helpUri,omitempty"`
	Help             sarifText      `json:"help"`
	Properties       map[string]any `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

// sarifSuppression marks a result as accepted by an allowlist outside the code.
type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status,omitempty"`
	Justification string `json:"justification,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

// WriteSARIF writes the findings as SARIF 2.1.0. Each rule carries the
// security-severity (the CVSS base score) code-scanning services rank by.
func WriteSARIF(w io.Writer, rep *Scan, toolVersion string) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{
		Name: "plimsoll", Version: toolVersion, InformationURI: "https://github.com/plimsoll/plimsoll", Rules: []sarifRule{},
	}}, Results: []sarifResult{}}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if !seen[f.ID] {
			seen[f.ID] = true
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(f.Finding))
		}
		run.Results = append(run.Results, sarifResultFor(rep, f))
	}
	slices.SortFunc(run.Tool.Driver.Rules, func(a, b sarifRule) int { return strings.Compare(a.ID, b.ID) })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifRuleFor(f match.Finding) sarifRule {
	summary := f.Summary
	if summary == "" {
		summary = f.ID
	}
	score := 0.0
	if f.CVSS != nil {
		score = f.CVSS.Base
	}
	props := map[string]any{
		"security-severity": fmt.Sprintf("%.1f", score),
		"tags":              []string{"security", "vulnerability", f.SeverityLevel},
	}
	help := fmt.Sprintf("%s: %s\nAliases: %s", f.ID, summary, strings.Join(f.Aliases, ", "))
	r := sarifRule{ID: f.ID, ShortDescription: sarifText{summary}, FullDescription: sarifText{summary}, Help: sarifText{help}, Properties: props}
	if len(f.References) > 0 {
		r.HelpURI = f.References[0]
	}
	return r
}

func sarifResultFor(rep *Scan, f Finding) sarifResult {
	fix := "no fix is available"
	if f.NearestFix != "" {
		fix = "fixed in " + f.NearestFix
	}
	msg := fmt.Sprintf("%s %s (%s) in layer %d%s is affected by %s (%s severity); %s. Image: %s",
		f.Package.Name, f.Package.Version, f.Package.Type, f.Package.IntroducedBy, removedNote(&f), f.ID, f.SeverityLevel, fix, rep.Source.Reference)
	uri := strings.TrimPrefix(f.Package.Path, "/")
	if uri == "" {
		uri = "image"
	}
	return sarifResult{
		RuleID: f.ID, Level: sarifLevel(rep, f), Message: sarifText{msg},
		Locations:           []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}}},
		PartialFingerprints: map[string]string{"plimsoll/v1": f.ID + "+" + f.Package.PURL + "+" + f.Package.Path},
	}
}

// sarifLevel is error for findings that fail the gate (or high and critical
// without one), warning for medium, note below.
func sarifLevel(rep *Scan, f Finding) string {
	rank := match.SeverityRank(f.SeverityLevel)
	if rep.FailOn != "" {
		if rank >= match.SeverityRank(rep.FailOn) {
			return "error"
		}
		return "warning"
	}
	switch {
	case rank >= match.SeverityRank("high"):
		return "error"
	case rank >= match.SeverityRank("medium"):
		return "warning"
	}
	return "note"
}

// removedNote says, for a package the final image no longer holds, which layer
// removed it.
func removedNote(f *Finding) string {
	switch {
	case f.InFinalImage():
		return ""
	case f.RemovedBy > 0:
		return fmt.Sprintf(" (removed by layer %d; not in the final image)", f.RemovedBy)
	}
	return " (not in the final image)"
}
