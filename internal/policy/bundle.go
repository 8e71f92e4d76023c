// Package policy evaluates images against policy bundles: Anchore Engine's
// version 1_0 JSON bundles, read unchanged. A bundle's mappings choose the
// policies and allowlists (Anchore's whitelists) for an image; each policy's
// rules name a gate, a trigger and an action; the triggers that fire, less those
// allowlisted, decide the final action. The gates are listed in gates.go.
package policy

import "time"

// Action is what a rule asks for when its trigger fires.
type Action string

// The actions, from least to most strict.
const (
	GO   Action = "GO"
	WARN Action = "WARN"
	STOP Action = "STOP"
)

func (a Action) rank() int {
	switch a {
	case WARN:
		return 1
	case STOP:
		return 2
	}
	return 0
}

// Stricter reports whether a is stricter than b.
func (a Action) Stricter(b Action) bool { return a.rank() > b.rank() }

// Bundle is a policy bundle.
type Bundle struct {
	ID                string          `json:"id"`
	Name              string          `json:"name,omitempty"`
	Version           string          `json:"version"`
	Comment           string          `json:"comment,omitempty"`
	Policies          []Policy        `json:"policies"`
	Whitelists        []Whitelist     `json:"whitelists,omitempty"`
	Mappings          []Mapping       `json:"mappings"`
	WhitelistedImages []ImageSelector `json:"whitelisted_images,omitempty"`
	BlacklistedImages []ImageSelector `json:"blacklisted_images,omitempty"`
	// DefaultAction is the action for an image no mapping matches (a plimsoll
	// extension). Empty means GO, as Anchore did, with a warning.
	DefaultAction Action `json:"default_action,omitempty"`
	// File names where the bundle was read from, for messages.
	File string `json:"-"`
	// lines maps the native form's field paths to their lines; nil for an
	// Anchore bundle.
	lines map[string]int
	// jsonLines maps an Anchore bundle's field paths to their lines.
	jsonLines map[string]int
}

// Policy is a named list of rules.
type Policy struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
	Comment string `json:"comment,omitempty"`
	Rules   []Rule `json:"rules"`
}

// Rule names a gate's trigger, its parameters and the action when it fires.
type Rule struct {
	ID      string  `json:"id,omitempty"`
	Gate    string  `json:"gate"`
	Trigger string  `json:"trigger"`
	Action  Action  `json:"action"`
	Params  []Param `json:"params,omitempty"`
	// Layers scopes the rule to evidence from all layers (the default), the
	// base layers or the application layers above them (a plimsoll extension).
	Layers string `json:"layers,omitempty"`
}

// Param is one named parameter value.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Whitelist is a named list of allowlist items.
type Whitelist struct {
	ID      string          `json:"id"`
	Name    string          `json:"name,omitempty"`
	Version string          `json:"version,omitempty"`
	Comment string          `json:"comment,omitempty"`
	Items   []WhitelistItem `json:"items"`
	// AnchoreIDs is true when the items name trigger IDs in Anchore Engine's
	// form (Result.AnchoreTriggerID): every whitelist of an Anchore bundle, and
	// native allowlists marked trigger_ids: anchore (as convert writes them).
	AnchoreIDs bool `json:"-"`
}

// WhitelistItem allowlists the results of one gate whose trigger ID matches
// TriggerID (`*` matches any run of characters), until ExpiresOn.
type WhitelistItem struct {
	ID        string `json:"id"`
	Gate      string `json:"gate"`
	TriggerID string `json:"trigger_id"`
	ExpiresOn string `json:"expires_on,omitempty"` // RFC 3339 or YYYY-MM-DD, as written
	Reason    string `json:"reason,omitempty"`
	// Expires is ExpiresOn parsed; nil when the item does not expire.
	Expires *time.Time `json:"-"`
}

// Mapping selects policies and whitelists for the images it matches.
type Mapping struct {
	ID           string     `json:"id,omitempty"`
	Name         string     `json:"name,omitempty"`
	Registry     string     `json:"registry"`
	Repository   string     `json:"repository"`
	Image        ImageMatch `json:"image"`
	PolicyID     string     `json:"policy_id,omitempty"`
	PolicyIDs    []string   `json:"policy_ids,omitempty"`
	WhitelistIDs []string   `json:"whitelist_ids,omitempty"`
}

// ImageMatch matches an image by tag (a glob or regexp: value), digest or ID.
type ImageMatch struct {
	Type  string `json:"type"` // tag, digest or id
	Value string `json:"value"`
}

// ImageSelector is an entry of whitelisted_images or blacklisted_images.
type ImageSelector struct {
	ID         string     `json:"id,omitempty"`
	Name       string     `json:"name,omitempty"`
	Registry   string     `json:"registry"`
	Repository string     `json:"repository"`
	Image      ImageMatch `json:"image"`
}

// Policies returns the IDs of the policies the mapping names.
func (m *Mapping) Policies() []string {
	if len(m.PolicyIDs) > 0 {
		return m.PolicyIDs
	}
	if m.PolicyID != "" {
		return []string{m.PolicyID}
	}
	return nil
}
