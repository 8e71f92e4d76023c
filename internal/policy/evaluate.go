package policy

import (
	"context"
	"fmt"
	"time"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// The reasons for a final action.
const (
	ReasonPolicy      = "policy_evaluation" // the strictest action of the results not allowlisted
	ReasonWhitelisted = "whitelisted"       // the image is in whitelisted_images
	ReasonBlacklisted = "blacklisted"       // the image is in blacklisted_images (wins over whitelisted)
	ReasonUnmapped    = "no_mapping"        // no mapping matched: the bundle's default action
)

// Options tune an evaluation.
type Options struct {
	// BaseLayers is how many of the image's bottom layers are the base image;
	// negative when unknown. Rules scoped to base or application layers need it.
	BaseLayers int
	// BaseHint says where BaseLayers came from when it is a hint rather than
	// the user's word (the image's OCI base-image annotations); empty otherwise.
	BaseHint string
}

// Evaluation is the verdict on one image, with every result that led to it.
type Evaluation struct {
	Image      gate.Identity `json:"image"`
	Bundle     string        `json:"bundle"`
	BundleName string        `json:"bundleName,omitempty"`
	Mapping    string        `json:"mapping,omitempty"`
	Policies   []string      `json:"policies,omitempty"`
	Whitelists []string      `json:"whitelists,omitempty"`
	BaseLayers int           `json:"baseLayers"`
	// BaseHint is set when the base came from a hint (the image's OCI
	// base-image annotations), not from --base or --base-layers.
	BaseHint    string   `json:"baseHint,omitempty"`
	Results     []Result `json:"results"`
	FinalAction Action   `json:"finalAction"`
	Reason      string   `json:"reason"`
	// ImageRule names the whitelisted_images or blacklisted_images entry that
	// decided the final action.
	ImageRule string   `json:"imageRule,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
}

// Result is one firing of a rule's trigger.
type Result struct {
	Policy    string `json:"policy"`
	RuleID    string `json:"ruleId,omitempty"`
	Gate      string `json:"gate"`
	Trigger   string `json:"trigger"`
	TriggerID string `json:"triggerId"`
	// AltTriggerIDs are the other stable IDs allowlist items may name.
	AltTriggerIDs []string `json:"altTriggerIds,omitempty"`
	// AnchoreTriggerID is the ID Anchore Engine gave the firing, when it
	// differs from TriggerID: what the whitelists of Anchore bundles (and
	// native allowlists with trigger_ids: anchore) match.
	AnchoreTriggerID string `json:"anchoreTriggerId,omitempty"`
	Detail           string `json:"detail"`
	Action           Action `json:"action"`
	Layer            int    `json:"layer"` // gate.NoLayer for image-wide evidence
	DiffID           string `json:"diffID,omitempty"`
	CreatedBy        string `json:"createdBy,omitempty"`
	Path             string `json:"path,omitempty"`
	// Whitelisted is true when a live allowlist item covers the result;
	// AllowedBy names it, or the expired item that no longer does.
	Whitelisted bool      `json:"whitelisted"`
	AllowedBy   *AllowRef `json:"allowedBy,omitempty"`
}

// AllowRef names the allowlist item that matched a result.
type AllowRef struct {
	Whitelist string     `json:"whitelist"`
	Item      string     `json:"item"`
	Expires   *time.Time `json:"expires,omitempty"`
	Expired   bool       `json:"expired,omitempty"`
	Reason    string     `json:"reason,omitempty"`
}

// Evaluate runs the policies the image's mapping selects and decides the final
// action.
func (c *Compiled) Evaluate(ctx context.Context, in *gate.Input, o Options) (*Evaluation, error) {
	b := c.Bundle
	ev := &Evaluation{Image: in.Image, Bundle: b.ID, BundleName: b.Name, BaseLayers: o.BaseLayers, BaseHint: o.BaseHint, FinalAction: GO, Reason: ReasonPolicy, Results: []Result{},
		Warnings: append([]string(nil), c.Warnings...)}
	m := b.selectMapping(&in.Image)
	if m == nil {
		ev.Reason = ReasonUnmapped
		ev.FinalAction = b.DefaultAction
		if ev.FinalAction == "" || ev.FinalAction == GO {
			ev.FinalAction = GO
			ev.Warnings = append(ev.Warnings, "no mapping of the bundle matches the image: the default action GO lets it pass unevaluated")
		}
	} else {
		ev.Mapping = mappingName(m)
		ev.Policies = m.Policies()
		ev.Whitelists = m.WhitelistIDs
		for _, pid := range ev.Policies {
			if err := c.runPolicy(ctx, pid, in, o, ev); err != nil {
				return nil, err
			}
		}
		c.allowlist(m, in.Now, ev)
		for _, r := range ev.Results {
			if !r.Whitelisted && r.Action.Stricter(ev.FinalAction) {
				ev.FinalAction = r.Action
			}
		}
	}
	if s := selectImage(b.WhitelistedImages, &in.Image); s != nil {
		ev.FinalAction, ev.Reason, ev.ImageRule = GO, ReasonWhitelisted, selectorName(s)
	}
	if s := selectImage(b.BlacklistedImages, &in.Image); s != nil {
		ev.FinalAction, ev.Reason, ev.ImageRule = STOP, ReasonBlacklisted, selectorName(s)
	}
	return ev, nil
}

func mappingName(m *Mapping) string {
	if m.Name != "" {
		return m.Name
	}
	return m.ID
}

func selectorName(s *ImageSelector) string {
	if s.Name != "" {
		return s.Name
	}
	if s.ID != "" {
		return s.ID
	}
	return s.Registry + "/" + s.Repository + ":" + s.Image.Value
}

func (c *Compiled) runPolicy(ctx context.Context, pid string, in *gate.Input, o Options, ev *Evaluation) error {
	for _, cr := range c.rules[pid] {
		r := cr.rule
		scoped := r.Layers == "base" || r.Layers == "application"
		if scoped && o.BaseLayers < 0 {
			return fmt.Errorf("%s: policy %s rule %s/%s is scoped to %s layers, but the base is unknown: give --base IMAGE or --base-layers N",
				c.Bundle.File, pid, r.Gate, r.Trigger, r.Layers)
		}
		fires, err := cr.check(ctx, in)
		if err != nil {
			return fmt.Errorf("policy %s rule %s/%s: %w", pid, r.Gate, r.Trigger, err)
		}
		for _, f := range fires {
			if scoped && inBase(f.Layer, o.BaseLayers) != (r.Layers == "base") {
				continue
			}
			res := Result{Policy: pid, RuleID: r.ID, Gate: r.Gate, Trigger: r.Trigger, TriggerID: f.ID, AltTriggerIDs: f.Alt,
				Detail: f.Detail, Action: r.Action, Layer: f.Layer, Path: f.Path}
			if f.Anchore != f.ID {
				res.AnchoreTriggerID = f.Anchore
			}
			if f.Layer >= 0 && f.Layer < len(in.Layers) {
				res.DiffID, res.CreatedBy = in.Layers[f.Layer].DiffID, in.Layers[f.Layer].CreatedBy
			}
			ev.Results = append(ev.Results, res)
		}
	}
	return nil
}

// inBase reports whether evidence from a layer belongs to the base. Image-wide
// evidence (the final configuration) belongs to the application.
func inBase(layer, base int) bool { return layer >= 0 && layer < base }

// allowlist marks the results covered by the mapping's whitelists: a live item
// whitelists; an expired one is only named.
func (c *Compiled) allowlist(m *Mapping, now time.Time, ev *Evaluation) {
	for i := range ev.Results {
		r := &ev.Results[i]
		for _, wid := range m.WhitelistIDs {
			w := c.Bundle.whitelist(wid)
			for j := range w.Items {
				it := &w.Items[j]
				if !eqFold(it.Gate, r.Gate) || !r.matchesID(it.TriggerID, w.AnchoreIDs) {
					continue
				}
				expired := it.Expires != nil && !now.Before(*it.Expires)
				if r.AllowedBy != nil && (expired || !r.AllowedBy.Expired) {
					continue
				}
				r.AllowedBy = &AllowRef{Whitelist: wid, Item: it.ID, Expires: it.Expires, Expired: expired, Reason: it.Reason}
				r.Whitelisted = !expired
			}
		}
	}
}

func (b *Bundle) whitelist(id string) *Whitelist {
	for i := range b.Whitelists {
		if b.Whitelists[i].ID == id {
			return &b.Whitelists[i]
		}
	}
	return &Whitelist{}
}

// matchesID reports whether an allowlist item's trigger_id glob matches the
// result's trigger ID or one of its alternatives: Anchore Engine's ID for an
// item of an Anchore-form whitelist, plimsoll's stable one otherwise.
func (r *Result) matchesID(pattern string, anchore bool) bool {
	id := r.TriggerID
	if anchore && r.AnchoreTriggerID != "" {
		id = r.AnchoreTriggerID
	}
	if glob(pattern, id) {
		return true
	}
	for _, id := range r.AltTriggerIDs {
		if glob(pattern, id) {
			return true
		}
	}
	return false
}
