// Package ignore holds the rules that silence findings a team has judged: by
// vulnerability id or alias, package name, version, purl or type, path glob and
// fix state. Every rule must say why (reason) and may say until when (expires);
// an expired rule stops applying and is reported, so a silenced finding comes
// back on its own instead of being forgotten.
package ignore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Rule is one ignore rule. Every selector given must match (they combine with
// AND); a rule without any selector is refused.
type Rule struct {
	ID       string  `yaml:"id,omitempty" json:"id,omitempty"` // the finding's id or any alias
	Package  Package `yaml:"package,omitempty" json:"package,omitzero"`
	Path     string  `yaml:"path,omitempty" json:"path,omitempty"` // glob; ** crosses directories
	FixState string  `yaml:"fix-state,omitempty" json:"fixState,omitempty"`
	Reason   string  `yaml:"reason" json:"reason"`
	Expires  *Date   `yaml:"expires,omitempty" json:"expires,omitempty"`
	Source   string  `yaml:"-" json:"source,omitempty"` // file:line the rule came from
}

// Package selects packages; empty fields match anything.
type Package struct {
	Name    string `yaml:"name,omitempty" json:"name,omitempty"`
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	PURL    string `yaml:"purl,omitempty" json:"purl,omitempty"`
	Type    string `yaml:"type,omitempty" json:"type,omitempty"`
}

// Date is a calendar day (YYYY-MM-DD); a rule expiring on a day applies through
// the end of that day, UTC.
type Date struct{ time.Time }

// UnmarshalYAML reads YYYY-MM-DD or an RFC 3339 time.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			if layout == "2006-01-02" {
				t = t.Add(24*time.Hour - time.Nanosecond)
			}
			d.Time = t
			return nil
		}
	}
	return fmt.Errorf("expires %q: want a date as YYYY-MM-DD", s)
}

// MarshalText writes the day.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.UTC().Format("2006-01-02")), nil }

// Expired reports whether the rule no longer applies at now.
func (r *Rule) Expired(now time.Time) bool { return r.Expires != nil && now.After(r.Expires.Time) }

// Target is what a rule is matched against: one finding's identity.
type Target struct {
	ID       string
	Aliases  []string
	Name     string
	Version  string
	PURL     string
	Type     string
	Path     string
	FixState string
}

// Matches reports whether the rule selects the target (expiry aside).
func (r *Rule) Matches(t Target) bool {
	if r.ID != "" && r.ID != t.ID && !slices.Contains(t.Aliases, r.ID) {
		return false
	}
	p := r.Package
	switch {
	case p.Name != "" && p.Name != t.Name,
		p.Version != "" && p.Version != t.Version,
		p.PURL != "" && !purlMatches(p.PURL, t.PURL),
		p.Type != "" && p.Type != t.Type,
		r.FixState != "" && r.FixState != t.FixState,
		r.Path != "" && !Glob(r.Path, t.Path):
		return false
	}
	return true
}

// purlMatches compares purls; a rule purl without a version or qualifiers matches
// every version of the package.
func purlMatches(rule, purl string) bool {
	if rule == purl {
		return true
	}
	base, _, _ := strings.Cut(purl, "?")
	if strings.Contains(rule, "@") {
		return rule == base
	}
	name, _, _ := strings.Cut(base, "@")
	return rule == name
}

// File is the ignore section of a configuration or ignore file.
type File struct {
	Ignore []Rule `yaml:"ignore"`
}

// Parse reads rules from YAML (a document with an `ignore:` list). source names
// the file in errors and in each rule's Source.
func Parse(data []byte, source string) ([]Rule, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	list := findKey(&doc, "ignore")
	if list == nil {
		return nil, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: ignore: want a list of rules", source, list.Line)
	}
	rules := make([]Rule, 0, len(list.Content))
	for i, n := range list.Content {
		var r Rule
		if err := checkRuleKeys(n, source, "ignore rule "+strconv.Itoa(i+1)); err != nil {
			return nil, err
		}
		if err := n.Decode(&r); err != nil {
			return nil, fmt.Errorf("%s:%d: ignore rule %d: %w", source, n.Line, i+1, err)
		}
		r.Source = fmt.Sprintf("%s:%d", source, n.Line)
		if err := r.validate(); err != nil {
			return nil, fmt.Errorf("%s: ignore rule %d: %w", r.Source, i+1, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// findKey returns the value node of a top-level mapping key.
func findKey(doc *yaml.Node, key string) *yaml.Node {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

var fixStates = []string{"fixed", "not-fixed", "wont-fix"}

func (r *Rule) validate() error {
	if strings.TrimSpace(r.Reason) == "" {
		return errors.New("reason is required: say why this finding may be ignored")
	}
	if r.ID == "" && r.Package == (Package{}) && r.Path == "" && r.FixState == "" {
		return errors.New("the rule selects nothing: give id, package, path or fix-state")
	}
	if r.FixState != "" && !slices.Contains(fixStates, r.FixState) {
		return fmt.Errorf("fix-state %q: want one of %s", r.FixState, strings.Join(fixStates, ", "))
	}
	if r.Path != "" {
		return validGlob(r.Path)
	}
	return nil
}
