package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/report"
)

// scanPolicyFormats are the -o formats scan adds with --policy: the
// evaluation alone, as evaluate writes it.
var scanPolicyFormats = []string{"policy-table", "policy-json", "policy-junit", "policy-sarif"}

// checkScanPolicyOutputs rejects the policy-* formats without --policy.
func checkScanPolicyOutputs(outs []outputSpec, withPolicy bool) error {
	if withPolicy {
		return nil
	}
	for _, o := range outs {
		if strings.HasPrefix(o.Format, "policy-") {
			return fmt.Errorf("-o %s needs --policy FILE", o.Format)
		}
	}
	return nil
}

// scanWithPolicy is scan's JSON report with the policy evaluation beside the
// findings.
type scanWithPolicy struct {
	*report.Scan
	Policy *policy.Evaluation `json:"policy"`
}

// renderScanPolicy writes what --policy adds to a scan report in format, and
// reports whether it handled the format: the evaluation after the table,
// inside the JSON report, or alone for policy-*.
func renderScanPolicy(w io.Writer, format string, rep *report.Scan, ev *policy.Evaluation, table func(io.Writer) error) (bool, error) {
	if ev == nil {
		return false, nil
	}
	switch format {
	case "table":
		if err := table(w); err != nil {
			return true, err
		}
		if _, err := io.WriteString(w, "\nPolicy evaluation\n\n"); err != nil {
			return true, err
		}
		return true, writeEvaluationTable(w, ev)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return true, enc.Encode(scanWithPolicy{Scan: rep, Policy: ev})
	}
	if f, ok := strings.CutPrefix(format, "policy-"); ok {
		return true, renderEvaluation(w, f, ev)
	}
	return false, nil
}

// scanFailure is the exit-1 error of a scan: findings at or above --fail-on,
// a STOP verdict, or both; nil when neither.
func scanFailure(rep *report.Scan, failOn string, ev *policy.Evaluation) error {
	var why []string
	if rep.Failed {
		why = append(why, fmt.Sprintf("findings at or above %s severity", failOn))
	}
	if ev != nil && ev.FinalAction == policy.STOP {
		why = append(why, fmt.Sprintf("policy final action STOP (%s)", ev.Reason))
	}
	if len(why) == 0 {
		return nil
	}
	return errFailed(strings.Join(why, "; "))
}
