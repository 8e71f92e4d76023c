// Package vex reads VEX documents — OpenVEX and CycloneDX VEX — into statements
// that say a vulnerability does not affect a product (not_affected, or fixed),
// so a scan can suppress what a supplier or the team has already assessed.
// Other statuses (affected, under investigation) are read and never suppress.
package vex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Status is a statement's verdict, normalised across formats.
type Status string

// The statuses; only NotAffected and Fixed suppress findings.
const (
	NotAffected        Status = "not_affected"
	Fixed              Status = "fixed"
	Affected           Status = "affected"
	UnderInvestigation Status = "under_investigation"
)

// Statement is one VEX statement: a vulnerability, the products it speaks of
// (purls, or image references and digests), and the verdict.
type Statement struct {
	Vulnerability string   `json:"vulnerability"`
	Aliases       []string `json:"aliases,omitempty"`
	Products      []string `json:"products"`
	Status        Status   `json:"status"`
	Justification string   `json:"justification,omitempty"`
	Impact        string   `json:"impactStatement,omitempty"`
	Source        string   `json:"source"` // the document it came from
}

// Suppresses reports whether the statement removes a finding.
func (s *Statement) Suppresses() bool { return s.Status == NotAffected || s.Status == Fixed }

// Product is what a finding is about, for matching statements.
type Product struct {
	VulnIDs []string // the finding's id and aliases
	PURL    string   // the package
	Image   []string // the image's references and digests (manifest digest, repo digests, tags)
}

// Applies reports whether the statement is about this vulnerability in this
// product: the same id or alias, and a product that is the package's purl
// (versionless purls match every version) or the image itself.
func (s *Statement) Applies(p Product) bool {
	ids := append([]string{s.Vulnerability}, s.Aliases...)
	if !slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(p.VulnIDs, id) }) {
		return false
	}
	for _, prod := range s.Products {
		if strings.HasPrefix(prod, "pkg:") && purlMatches(prod, p.PURL) {
			return true
		}
		if slices.ContainsFunc(p.Image, func(ref string) bool { return ref != "" && (ref == prod || strings.HasSuffix(prod, "@"+ref)) }) {
			return true
		}
	}
	return false
}

func purlMatches(stmt, purl string) bool {
	if purl == "" {
		return false
	}
	base, _, _ := strings.Cut(purl, "?")
	stmtBase, _, _ := strings.Cut(stmt, "?")
	if strings.Contains(stmtBase, "@") {
		return stmtBase == base
	}
	name, _, _ := strings.Cut(base, "@")
	return stmtBase == name
}

// maxDocument bounds a VEX document read into memory.
const maxDocument = 64 << 20

// Parse reads an OpenVEX or CycloneDX VEX document; source names it in errors.
func Parse(data []byte, source string) ([]Statement, error) {
	if len(data) > maxDocument {
		return nil, fmt.Errorf("%s: larger than %d bytes", source, maxDocument)
	}
	var probe struct {
		Context   json.RawMessage `json:"@context"`
		BOMFormat string          `json:"bomFormat"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", source, err)
	}
	var (
		out []Statement
		err error
	)
	switch {
	case probe.BOMFormat == "CycloneDX":
		out, err = parseCycloneDX(data)
	case bytes.Contains(probe.Context, []byte("openvex")):
		out, err = parseOpenVEX(data)
	default:
		return nil, fmt.Errorf("%s: neither OpenVEX (@context …openvex…) nor CycloneDX (bomFormat) VEX", source)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	for i := range out {
		out[i].Source = source
	}
	return out, nil
}

// openVEX is the OpenVEX document (v0.0.x and v0.2.0: a vulnerability is a string
// or an object with a name and aliases; a product a string or an object with @id
// and identifiers).
type openVEX struct {
	Statements []struct {
		Vulnerability json.RawMessage   `json:"vulnerability"`
		Products      []json.RawMessage `json:"products"`
		Status        string            `json:"status"`
		Justification string            `json:"justification"`
		Impact        string            `json:"impact_statement"`
	} `json:"statements"`
}

func parseOpenVEX(data []byte) ([]Statement, error) {
	var doc openVEX
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("OpenVEX: %w", err)
	}
	var out []Statement
	for i, st := range doc.Statements {
		s := Statement{Status: Status(st.Status), Justification: st.Justification, Impact: st.Impact}
		if err := openVEXVulnerability(st.Vulnerability, &s); err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
		for _, p := range st.Products {
			s.Products = append(s.Products, openVEXProduct(p)...)
		}
		switch s.Status {
		case NotAffected, Fixed, Affected, UnderInvestigation:
		default:
			return nil, fmt.Errorf("statement %d: status %q is not an OpenVEX status", i+1, st.Status)
		}
		out = append(out, s)
	}
	return out, nil
}

func openVEXVulnerability(raw json.RawMessage, s *Statement) error {
	if err := json.Unmarshal(raw, &s.Vulnerability); err == nil && s.Vulnerability != "" {
		return nil
	}
	var v struct {
		Name    string   `json:"name"`
		ID      string   `json:"@id"`
		Aliases []string `json:"aliases"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || (v.Name == "" && v.ID == "") {
		return errors.New("vulnerability names nothing")
	}
	s.Vulnerability, s.Aliases = v.Name, v.Aliases
	if s.Vulnerability == "" {
		s.Vulnerability = v.ID
	}
	return nil
}

func openVEXProduct(raw json.RawMessage) []string {
	var id string
	if err := json.Unmarshal(raw, &id); err == nil {
		return []string{id}
	}
	var p struct {
		ID          string            `json:"@id"`
		Identifiers map[string]string `json:"identifiers"`
		Sub         []json.RawMessage `json:"subcomponents"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil
	}
	var out []string
	if p.ID != "" {
		out = append(out, p.ID)
	}
	if purl := p.Identifiers["purl"]; purl != "" {
		out = append(out, purl)
	}
	for _, sub := range p.Sub {
		out = append(out, openVEXProduct(sub)...)
	}
	return out
}

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
