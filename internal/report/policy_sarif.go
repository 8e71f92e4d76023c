package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy"
)

// WritePolicySARIF writes a policy evaluation as SARIF 2.1.0 for code-scanning
// services (GitHub's upload-sarif): one rule per gate/trigger that fired, one
// result per firing with the level its action asks (STOP error, WARN warning,
// GO note), located at the file the evidence names (the Dockerfile for the
// dockerfile gate, else "image"). Allowlisted results carry an accepted
// external suppression with the item and its reason. The final action and
// reason are the run's properties.
func WritePolicySARIF(w io.Writer, ev *policy.Evaluation, toolVersion string) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{
		Name: "plimsoll", Version: toolVersion, InformationURI: "https://github.com/plimsoll/plimsoll", Rules: []sarifRule{},
	}}, Results: []sarifResult{}, Properties: map[string]any{
		"image": ev.Image.Reference, "bundle": ev.Bundle, "finalAction": string(ev.FinalAction), "reason": ev.Reason,
	}}
	descriptions := triggerDescriptions()
	seen := map[string]bool{}
	for _, r := range ev.Results {
		id := r.Gate + "/" + r.Trigger
		if !seen[id] {
			seen[id] = true
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, policySARIFRule(id, r.Gate, descriptions[id]))
		}
		run.Results = append(run.Results, policySARIFResult(ev, r))
	}
	slices.SortFunc(run.Tool.Driver.Rules, func(a, b sarifRule) int { return strings.Compare(a.ID, b.ID) })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// triggerDescriptions maps "gate/trigger" to the trigger's own description.
func triggerDescriptions() map[string]string {
	out := map[string]string{}
	for _, g := range policy.Gates() {
		for _, t := range g.Triggers() {
			out[g.Name()+"/"+t.Name()] = t.Description()
		}
	}
	return out
}

func policySARIFRule(id, gateName, description string) sarifRule {
	if description == "" {
		description = "policy gate " + id
	}
	return sarifRule{
		ID: id, ShortDescription: sarifText{"plimsoll policy " + id}, FullDescription: sarifText{description},
		Help:       sarifText{fmt.Sprintf("%s: %s\nplimsoll policy describe %s lists its parameters.", id, description, gateName)},
		Properties: map[string]any{"tags": []string{"policy", gateName}},
	}
}

func policySARIFResult(ev *policy.Evaluation, r policy.Result) sarifResult {
	layer := "image-wide"
	if r.Layer >= 0 {
		layer = fmt.Sprintf("layer %d (%s)", r.Layer, r.CreatedBy)
	}
	msg := fmt.Sprintf("%s: %s (%s, trigger id %s, policy %s). Image: %s",
		r.Action, r.Detail, layer, r.TriggerID, r.Policy, ev.Image.Reference)
	res := sarifResult{
		RuleID: r.Gate + "/" + r.Trigger, Level: policySARIFLevel(r.Action), Message: sarifText{msg},
		Locations:           []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: policySARIFURI(r)}}}},
		PartialFingerprints: map[string]string{"plimsoll/policy/v1": r.Gate + "/" + r.Trigger + "+" + r.TriggerID},
	}
	if r.Whitelisted {
		res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: "allowlisted by " + allowText(r.AllowedBy)}}
	}
	return res
}

func policySARIFURI(r policy.Result) string {
	if p := strings.TrimPrefix(r.Path, "/"); p != "" {
		return p
	}
	if r.Gate == "dockerfile" {
		return "Dockerfile"
	}
	return "image"
}

func policySARIFLevel(a policy.Action) string {
	switch a {
	case policy.STOP:
		return "error"
	case policy.WARN:
		return "warning"
	}
	return "note"
}
