package policy

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// NativeVersion is the version of plimsoll's native YAML policy form.
const NativeVersion = "plimsoll/v1"

// The trigger_ids values of a native allowlist: the IDs its items name.
const (
	TriggerIDsStable  = "stable"  // plimsoll's stable IDs (the default)
	TriggerIDsAnchore = "anchore" // Anchore Engine's, as in an Anchore bundle
)

// The native form: the same model as Anchore's bundles with plimsoll's names
// (allowlists, allowed_images, denied_images), typed parameter values, a
// required default_action, rule layers, and allowlist items with a required
// reason and an optional expiry.
type nativeDoc struct {
	Version       string            `yaml:"version"`
	ID            string            `yaml:"id"`
	Name          string            `yaml:"name"`
	Comment       string            `yaml:"comment"`
	DefaultAction string            `yaml:"default_action"`
	Policies      []nativePolicy    `yaml:"policies"`
	Allowlists    []nativeAllowlist `yaml:"allowlists"`
	Mappings      []nativeMapping   `yaml:"mappings"`
	AllowedImages []nativeSelector  `yaml:"allowed_images"`
	DeniedImages  []nativeSelector  `yaml:"denied_images"`
}

type nativePolicy struct {
	ID      string       `yaml:"id"`
	Name    string       `yaml:"name"`
	Version string       `yaml:"version"`
	Comment string       `yaml:"comment"`
	Rules   []nativeRule `yaml:"rules"`
}

type nativeRule struct {
	ID      string    `yaml:"id"`
	Gate    string    `yaml:"gate"`
	Trigger string    `yaml:"trigger"`
	Action  string    `yaml:"action"`
	Layers  string    `yaml:"layers"`
	Params  yaml.Node `yaml:"params"`
}

type nativeAllowlist struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Version string `yaml:"version"`
	Comment string `yaml:"comment"`
	// TriggerIDs is stable (the default: plimsoll's IDs) or anchore (Anchore
	// Engine's, as in the bundle an allowlist was converted from).
	TriggerIDs string       `yaml:"trigger_ids"`
	Items      []nativeItem `yaml:"items"`
}

type nativeItem struct {
	ID        string `yaml:"id"`
	Gate      string `yaml:"gate"`
	TriggerID string `yaml:"trigger_id"`
	Reason    string `yaml:"reason"`
	Expires   string `yaml:"expires"`
}

type nativeSelector struct {
	ID         string `yaml:"id,omitempty"`
	Name       string `yaml:"name,omitempty"`
	Registry   string `yaml:"registry"`
	Repository string `yaml:"repository"`
	Tag        string `yaml:"tag,omitempty"`
	Digest     string `yaml:"digest,omitempty"`
	ImageID    string `yaml:"image_id,omitempty"`
}

type nativeMapping struct {
	nativeSelector `yaml:",inline"`
	Policies       []string `yaml:"policies"`
	Allowlists     []string `yaml:"allowlists,omitempty"`
}

// nativeNames turns the model's field paths into the native form's.
var nativeNames = strings.NewReplacer(
	"whitelists[", "allowlists[", ".whitelist_ids", ".allowlists", ".expires_on", ".expires",
	".policy_ids", ".policies", "whitelisted_images", "allowed_images", "blacklisted_images", "denied_images",
	".image.value", ".tag", ".image.type", ".tag",
)

// lineOf finds the line of a native field path, or of its nearest parent.
func (b *Bundle) lineOf(field string) int { return lineIn(b.lines, field) }

// ParseNative parses and validates the native YAML form. Errors name the file,
// the line and the field; unknown fields are errors.
func ParseNative(data []byte, file string) (*Bundle, error) {
	var doc nativeDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, yamlError(err))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", file, yamlError(err))
	}
	b := &Bundle{File: file, lines: map[string]int{}}
	recordLines(&root, "", b.lines)
	if doc.Version != NativeVersion {
		return nil, b.fieldError("version", "%q is not %q", doc.Version, NativeVersion)
	}
	if doc.DefaultAction == "" {
		return nil, b.fieldError("default_action", "required: the action for images no mapping matches (GO, WARN or STOP)")
	}
	b.ID, b.Name, b.Comment, b.Version, b.DefaultAction = doc.ID, doc.Name, doc.Comment, AnchoreVersion, Action(doc.DefaultAction)
	if err := b.fromNative(&doc); err != nil {
		return nil, err
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b, nil
}

func yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return errors.New(strings.Join(te.Errors, "; "))
	}
	return err
}

// recordLines maps every field path of the document to its line.
func recordLines(n *yaml.Node, path string, lines map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			recordLines(c, path, lines)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if path != "" {
				p = path + "." + p
			}
			lines[p] = n.Content[i].Line
			recordLines(n.Content[i+1], p, lines)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			lines[p] = c.Line
			recordLines(c, p, lines)
		}
	}
}

func (b *Bundle) fromNative(doc *nativeDoc) error {
	for i, p := range doc.Policies {
		pol := Policy{ID: p.ID, Name: p.Name, Version: p.Version, Comment: p.Comment}
		for j, r := range p.Rules {
			params, err := b.nativeParams(&r.Params, fmt.Sprintf("policies[%d].rules[%d].params", i, j))
			if err != nil {
				return err
			}
			pol.Rules = append(pol.Rules, Rule{ID: r.ID, Gate: r.Gate, Trigger: r.Trigger, Action: Action(r.Action), Layers: r.Layers, Params: params})
		}
		b.Policies = append(b.Policies, pol)
	}
	for i, a := range doc.Allowlists {
		w := Whitelist{ID: a.ID, Name: a.Name, Version: a.Version, Comment: a.Comment, AnchoreIDs: a.TriggerIDs == TriggerIDsAnchore}
		if a.TriggerIDs != "" && a.TriggerIDs != TriggerIDsAnchore && a.TriggerIDs != TriggerIDsStable {
			return b.fieldError(fmt.Sprintf("allowlists[%d].trigger_ids", i), "%q is not %s or %s", a.TriggerIDs, TriggerIDsStable, TriggerIDsAnchore)
		}
		for j, it := range a.Items {
			f := fmt.Sprintf("allowlists[%d].items[%d]", i, j)
			if it.ID == "" {
				return b.fieldError(f+".id", "required: a stable id, such as CVE-2023-1234+pkg:npm/lodash@4.17.4")
			}
			if strings.TrimSpace(it.Reason) == "" {
				return b.fieldError(f+".reason", "required: say why the result is accepted")
			}
			w.Items = append(w.Items, WhitelistItem{ID: it.ID, Gate: it.Gate, TriggerID: it.TriggerID, ExpiresOn: it.Expires, Reason: it.Reason})
		}
		b.Whitelists = append(b.Whitelists, w)
	}
	for i, m := range doc.Mappings {
		im, err := b.nativeImage(&m.nativeSelector, fmt.Sprintf("mappings[%d]", i))
		if err != nil {
			return err
		}
		b.Mappings = append(b.Mappings, Mapping{ID: m.ID, Name: m.Name, Registry: m.Registry, Repository: m.Repository,
			Image: im, PolicyIDs: m.Policies, WhitelistIDs: m.Allowlists})
	}
	for _, list := range []struct {
		name string
		in   []nativeSelector
		out  *[]ImageSelector
	}{{"allowed_images", doc.AllowedImages, &b.WhitelistedImages}, {"denied_images", doc.DeniedImages, &b.BlacklistedImages}} {
		for i, s := range list.in {
			im, err := b.nativeImage(&s, fmt.Sprintf("%s[%d]", list.name, i))
			if err != nil {
				return err
			}
			*list.out = append(*list.out, ImageSelector{ID: s.ID, Name: s.Name, Registry: s.Registry, Repository: s.Repository, Image: im})
		}
	}
	return nil
}

// nativeImage turns a selector's one of tag, digest or id into an ImageMatch.
func (b *Bundle) nativeImage(s *nativeSelector, field string) (ImageMatch, error) {
	var out []ImageMatch
	for _, c := range []struct{ typ, v string }{{"tag", s.Tag}, {"digest", s.Digest}, {"id", s.ImageID}} {
		typ, v := c.typ, c.v
		if v != "" {
			out = append(out, ImageMatch{Type: typ, Value: v})
		}
	}
	if len(out) != 1 {
		return ImageMatch{}, b.fieldError(field, "give exactly one of tag, digest or image_id")
	}
	return out[0], nil
}

// nativeParams turns a params mapping into name/value pairs: scalars as
// written, lists of scalars joined with commas.
func (b *Bundle) nativeParams(n *yaml.Node, field string) ([]Param, error) {
	if n.Kind == 0 {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, b.fieldError(field, "want a mapping of parameter names to values")
	}
	var out []Param
	for i := 0; i+1 < len(n.Content); i += 2 {
		name, v := n.Content[i].Value, n.Content[i+1]
		switch v.Kind {
		case yaml.ScalarNode:
			out = append(out, Param{Name: name, Value: v.Value})
		case yaml.SequenceNode:
			var items []string
			for _, c := range v.Content {
				if c.Kind != yaml.ScalarNode {
					return nil, b.fieldError(field+"."+name, "want a list of plain values")
				}
				items = append(items, c.Value)
			}
			out = append(out, Param{Name: name, Value: strings.Join(items, ",")})
		default:
			return nil, b.fieldError(field+"."+name, "want a value or a list of values")
		}
	}
	return out, nil
}
