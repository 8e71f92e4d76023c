package policy

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ConvertedReason is the reason given to allowlist items converted from an
// Anchore bundle, which records none.
const ConvertedReason = "converted from an Anchore bundle, which records no reason"

// The native form as written: field order fixed, empty fields left out.
type (
	outDoc struct {
		Version       string           `yaml:"version"`
		ID            string           `yaml:"id"`
		Name          string           `yaml:"name,omitempty"`
		Comment       string           `yaml:"comment,omitempty"`
		DefaultAction string           `yaml:"default_action"`
		Policies      []outPolicy      `yaml:"policies,omitempty"`
		Allowlists    []outAllowlist   `yaml:"allowlists,omitempty"`
		Mappings      []nativeMapping  `yaml:"mappings,omitempty"`
		AllowedImages []nativeSelector `yaml:"allowed_images,omitempty"`
		DeniedImages  []nativeSelector `yaml:"denied_images,omitempty"`
	}
	outPolicy struct {
		ID      string    `yaml:"id"`
		Name    string    `yaml:"name,omitempty"`
		Version string    `yaml:"version,omitempty"`
		Comment string    `yaml:"comment,omitempty"`
		Rules   []outRule `yaml:"rules,omitempty"`
	}
	outRule struct {
		ID      string     `yaml:"id,omitempty"`
		Gate    string     `yaml:"gate"`
		Trigger string     `yaml:"trigger"`
		Action  string     `yaml:"action"`
		Layers  string     `yaml:"layers,omitempty"`
		Params  *yaml.Node `yaml:"params,omitempty"`
	}
	outAllowlist struct {
		ID         string       `yaml:"id"`
		Name       string       `yaml:"name,omitempty"`
		Version    string       `yaml:"version,omitempty"`
		Comment    string       `yaml:"comment,omitempty"`
		TriggerIDs string       `yaml:"trigger_ids,omitempty"`
		Items      []nativeItem `yaml:"items,omitempty"`
	}
)

// ToNative writes a bundle in the native YAML form, parameters typed where
// that keeps their text (lists as sequences, numbers and booleans unquoted).
// Nothing the model holds is lost: an Anchore bundle's implicit default (GO) is written out, and its
// allowlist items get ConvertedReason.
func ToNative(b *Bundle) ([]byte, error) {
	d := outDoc{Version: NativeVersion, ID: b.ID, Name: b.Name, Comment: b.Comment, DefaultAction: string(b.DefaultAction)}
	if d.DefaultAction == "" {
		d.DefaultAction = string(GO)
	}
	lists := listTypes()
	for _, p := range b.Policies {
		op := outPolicy{ID: p.ID, Name: p.Name, Version: p.Version, Comment: p.Comment}
		for _, r := range p.Rules {
			or := outRule{ID: r.ID, Gate: r.Gate, Trigger: r.Trigger, Action: string(r.Action), Layers: r.Layers}
			if len(r.Params) > 0 {
				or.Params = &yaml.Node{Kind: yaml.MappingNode}
				for _, prm := range r.Params {
					key := strings.ToLower(r.Gate) + "/" + r.Trigger + "/" + prm.Name
					or.Params.Content = append(or.Params.Content,
						&yaml.Node{Kind: yaml.ScalarNode, Value: prm.Name}, paramNode(lists[key], prm.Value))
				}
			}
			op.Rules = append(op.Rules, or)
		}
		d.Policies = append(d.Policies, op)
	}
	for _, w := range b.Whitelists {
		oa := outAllowlist{ID: w.ID, Name: w.Name, Version: w.Version, Comment: w.Comment}
		if w.AnchoreIDs {
			oa.TriggerIDs = TriggerIDsAnchore // the items keep naming Anchore's IDs
		}
		for _, it := range w.Items {
			reason := it.Reason
			if reason == "" {
				reason = ConvertedReason
			}
			oa.Items = append(oa.Items, nativeItem{ID: it.ID, Gate: it.Gate, TriggerID: it.TriggerID, Reason: reason, Expires: it.ExpiresOn})
		}
		d.Allowlists = append(d.Allowlists, oa)
	}
	for _, m := range b.Mappings {
		d.Mappings = append(d.Mappings, nativeMapping{nativeSelector: selectorOut(m.ID, m.Name, m.Registry, m.Repository, m.Image),
			Policies: m.Policies(), Allowlists: m.WhitelistIDs})
	}
	for _, s := range b.WhitelistedImages {
		d.AllowedImages = append(d.AllowedImages, selectorOut(s.ID, s.Name, s.Registry, s.Repository, s.Image))
	}
	for _, s := range b.BlacklistedImages {
		d.DeniedImages = append(d.DeniedImages, selectorOut(s.ID, s.Name, s.Registry, s.Repository, s.Image))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("write native policy: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write native policy: %w", err)
	}
	return buf.Bytes(), nil
}

func selectorOut(id, name, registry, repository string, im ImageMatch) nativeSelector {
	s := nativeSelector{ID: id, Name: name, Registry: registry, Repository: repository}
	switch im.Type {
	case "tag":
		s.Tag = im.Value
	case "digest":
		s.Digest = im.Value
	case "id":
		s.ImageID = im.Value
	}
	return s
}
