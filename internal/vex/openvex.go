package vex

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// openVEX is the OpenVEX document (v0.0.x and v0.2.0: a vulnerability is a string
// or an object with a name and aliases; a product a string or an object with @id,
// identifiers and subcomponents).
type openVEX struct {
	Timestamp  string `json:"timestamp"`
	Statements []struct {
		Vulnerability json.RawMessage   `json:"vulnerability"`
		Products      []json.RawMessage `json:"products"`
		Status        string            `json:"status"`
		Justification string            `json:"justification"`
		Impact        string            `json:"impact_statement"`
		Timestamp     string            `json:"timestamp"`
		LastUpdated   string            `json:"last_updated"`
	} `json:"statements"`
}

func parseOpenVEX(data []byte) ([]Statement, error) {
	var doc openVEX
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("OpenVEX: %w", err)
	}
	docTime, err := parseTime("timestamp", doc.Timestamp)
	if err != nil {
		return nil, err
	}
	var out []Statement
	for i, st := range doc.Statements {
		s := Statement{Status: Status(st.Status), Justification: st.Justification, Impact: st.Impact, Timestamp: docTime}
		if err := openVEXVulnerability(st.Vulnerability, &s); err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
		if s.Timestamp, err = statementTime(docTime, st.Timestamp, st.LastUpdated); err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
		for _, p := range st.Products {
			ids, subs, scoped := openVEXProduct(p)
			if scoped {
				s.Scoped = append(s.Scoped, ScopedProduct{Product: ids, Subcomponents: subs})
			} else {
				s.Products = append(s.Products, ids...)
			}
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

// statementTime is when a statement was last made: its last_updated when
// later, else its timestamp, else the document's.
func statementTime(doc time.Time, timestamp, lastUpdated string) (time.Time, error) {
	t, err := parseTime("timestamp", timestamp)
	if err != nil {
		return time.Time{}, err
	}
	if t.IsZero() {
		t = doc
	}
	u, err := parseTime("last_updated", lastUpdated)
	if err != nil {
		return time.Time{}, err
	}
	if u.After(t) {
		t = u
	}
	return t, nil
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

// openVEXComponent is a product or subcomponent given as an object.
type openVEXComponent struct {
	ID          string            `json:"@id"`
	Identifiers map[string]string `json:"identifiers"`
	Sub         []json.RawMessage `json:"subcomponents"`
}

// openVEXProduct returns a product's identifiers and, when it lists
// subcomponents (scoped is true), theirs. A scoped product whose subcomponents
// carry no identifier covers nothing.
func openVEXProduct(raw json.RawMessage) (ids, subs []string, scoped bool) {
	ids, c := openVEXIdentifiers(raw)
	for _, sub := range c.Sub {
		s, _ := openVEXIdentifiers(sub)
		subs = append(subs, s...)
	}
	return ids, subs, len(c.Sub) > 0
}

// openVEXIdentifiers returns a component's @id and purl; a string is its @id.
func openVEXIdentifiers(raw json.RawMessage) ([]string, openVEXComponent) {
	var c openVEXComponent
	if err := json.Unmarshal(raw, &c.ID); err == nil {
		return []string{c.ID}, c
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, openVEXComponent{}
	}
	var out []string
	if c.ID != "" {
		out = append(out, c.ID)
	}
	if purl := c.Identifiers["purl"]; purl != "" {
		out = append(out, purl)
	}
	return out, c
}
