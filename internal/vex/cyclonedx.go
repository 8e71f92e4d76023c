package vex

import (
	"encoding/json"
	"fmt"
	"time"
)

// cycloneDX is the vulnerabilities section of a CycloneDX (1.4+) VEX BOM.
type cycloneDX struct {
	Components []struct {
		BOMRef string `json:"bom-ref"`
		PURL   string `json:"purl"`
	} `json:"components"`
	Vulnerabilities []struct {
		ID         string `json:"id"`
		References []struct {
			ID string `json:"id"`
		} `json:"references"`
		Analysis struct {
			State         string `json:"state"`
			Justification string `json:"justification"`
			Detail        string `json:"detail"`
			FirstIssued   string `json:"firstIssued"`
			LastUpdated   string `json:"lastUpdated"`
		} `json:"analysis"`
		Affects []struct {
			Ref string `json:"ref"`
		} `json:"affects"`
	} `json:"vulnerabilities"`
}

// cdxStates maps CycloneDX analysis states to statuses.
var cdxStates = map[string]Status{
	"not_affected": NotAffected, "false_positive": NotAffected, "resolved": Fixed,
	"resolved_with_pedigree": Fixed, "exploitable": Affected, "in_triage": UnderInvestigation,
}

func parseCycloneDX(data []byte) ([]Statement, error) {
	var doc cycloneDX
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("CycloneDX: %w", err)
	}
	refs := map[string]string{}
	for _, c := range doc.Components {
		if c.BOMRef != "" && c.PURL != "" {
			refs[c.BOMRef] = c.PURL
		}
	}
	var out []Statement
	for i, v := range doc.Vulnerabilities {
		if v.ID == "" {
			return nil, fmt.Errorf("vulnerability %d has no id", i+1)
		}
		status, ok := cdxStates[v.Analysis.State]
		if !ok {
			status = UnderInvestigation // no analysis: nothing is suppressed
		}
		s := Statement{Vulnerability: v.ID, Status: status, Justification: v.Analysis.Justification, Impact: v.Analysis.Detail}
		var err error
		if s.Timestamp, err = cdxTime(v.Analysis.LastUpdated, v.Analysis.FirstIssued); err != nil {
			return nil, fmt.Errorf("vulnerability %d (%s): %w", i+1, v.ID, err)
		}
		for _, r := range v.References {
			s.Aliases = append(s.Aliases, r.ID)
		}
		for _, a := range v.Affects {
			if p, ok := refs[a.Ref]; ok {
				s.Products = append(s.Products, p)
			} else {
				s.Products = append(s.Products, a.Ref) // refs are often purls themselves
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// cdxTime is the analysis's lastUpdated, else its firstIssued, else zero.
func cdxTime(lastUpdated, firstIssued string) (time.Time, error) {
	if lastUpdated != "" {
		return parseTime("analysis.lastUpdated", lastUpdated)
	}
	return parseTime("analysis.firstIssued", firstIssued)
}
