package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy"
)

// WritePolicyJUnit writes a policy evaluation as JUnit XML for CI test reports
// (Jenkins, GitLab, CircleCI): one suite per policy, one test case per result
// — failed when its action is STOP and no live allowlist item covers it,
// skipped (with the allowlist item and its reason) when one does, passing with
// the detail in system-out otherwise (WARN and GO) — and a final suite with
// one case, "final action", failed when the verdict is STOP.
func WritePolicyJUnit(w io.Writer, ev *policy.Evaluation) error {
	var suites []junitSuite
	byPolicy := map[string]int{}
	for _, r := range ev.Results {
		i, ok := byPolicy[r.Policy]
		if !ok {
			i = len(suites)
			byPolicy[r.Policy] = i
			suites = append(suites, junitSuite{Name: "policy " + r.Policy})
		}
		s := &suites[i]
		s.Cases = append(s.Cases, policyCase(r))
		switch {
		case s.Cases[len(s.Cases)-1].Failure != nil:
			s.Failures++
		case s.Cases[len(s.Cases)-1].Skipped != nil:
			s.Skipped++
		}
	}
	final := junitCase{Name: "final action", Classname: "plimsoll.policy", SystemOut: verdictText(ev)}
	if ev.FinalAction == policy.STOP {
		final.Failure = &junitFailure{Message: fmt.Sprintf("final action STOP (%s)", ev.Reason), Type: string(policy.STOP), Text: verdictText(ev)}
	}
	verdict := junitSuite{Name: "verdict " + ev.Image.Reference, Cases: []junitCase{final}}
	if final.Failure != nil {
		verdict.Failures = 1
	}
	suites = append(suites, verdict)
	doc := junitSuites{Name: "plimsoll evaluate " + ev.Image.Reference}
	for i := range suites {
		suites[i].Tests = len(suites[i].Cases)
		doc.Tests += suites[i].Tests
		doc.Failures += suites[i].Failures
	}
	doc.Suites = suites
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// policyCase is one result as a test case.
func policyCase(r policy.Result) junitCase {
	c := junitCase{Name: fmt.Sprintf("%s/%s %s", r.Gate, r.Trigger, r.TriggerID), Classname: "plimsoll.policy." + r.Gate}
	text := resultText(r)
	switch {
	case r.Whitelisted:
		c.Skipped = &junitSkipped{Message: "allowlisted by " + allowText(r.AllowedBy)}
	case r.Action == policy.STOP:
		c.Failure = &junitFailure{Message: fmt.Sprintf("STOP: %s", r.Detail), Type: string(r.Action), Text: text}
	default:
		c.SystemOut = string(r.Action) + ": " + text
	}
	return c
}

// resultText is a result's detail, evidence and rule, one fact a line.
func resultText(r policy.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.Detail)
	if r.RuleID != "" {
		fmt.Fprintf(&b, "rule: %s (policy %s)\n", r.RuleID, r.Policy)
	}
	if r.Layer >= 0 {
		fmt.Fprintf(&b, "layer: %d %s %s\n", r.Layer, r.DiffID, r.CreatedBy)
	} else {
		b.WriteString("layer: image-wide\n")
	}
	if r.Path != "" {
		fmt.Fprintf(&b, "path: %s\n", r.Path)
	}
	if r.AllowedBy != nil && r.AllowedBy.Expired {
		fmt.Fprintf(&b, "expired allowlist item: %s\n", allowText(r.AllowedBy))
	}
	return b.String()
}

// allowText names an allowlist item and its reason.
func allowText(a *policy.AllowRef) string {
	if a == nil {
		return ""
	}
	s := a.Whitelist + "/" + a.Item
	if a.Expires != nil {
		s += " (expires " + a.Expires.Format("2006-01-02") + ")"
	}
	if a.Reason != "" {
		s += ": " + a.Reason
	}
	return s
}

// verdictText is the final action with its reason, mapping and warnings.
func verdictText(ev *policy.Evaluation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "final action %s (%s)\nbundle: %s\n", ev.FinalAction, ev.Reason, ev.Bundle)
	if ev.Mapping != "" {
		fmt.Fprintf(&b, "mapping: %s\n", ev.Mapping)
	}
	if ev.ImageRule != "" {
		fmt.Fprintf(&b, "image rule: %s\n", ev.ImageRule)
	}
	for _, w := range ev.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}
