package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Engine compiles bundles against a set of gates.
type Engine struct {
	gates map[string]gate.Gate
}

// New returns an engine for the given gates (Gates() lists them all).
func New(gates []gate.Gate) *Engine {
	e := &Engine{gates: map[string]gate.Gate{}}
	for _, g := range gates {
		e.gates[g.Name()] = g
	}
	return e
}

// Compiled is a bundle whose every rule resolved to a gate's trigger with
// validated parameters.
type Compiled struct {
	Bundle   *Bundle
	rules    map[string][]compiledRule // by policy ID
	requests []layerfs.Request
	// Warnings name the parameters rules use that are accepted but not evaluated.
	Warnings []string
}

type compiledRule struct {
	rule  *Rule
	check gate.Check
}

// Compile resolves every rule of every policy. Errors name the file, the rule
// and the parameter.
func (e *Engine) Compile(b *Bundle) (*Compiled, error) {
	c := &Compiled{Bundle: b, rules: map[string][]compiledRule{}}
	if b.lines != nil && b.DefaultAction == GO {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s:%d: default_action GO lets images no mapping matches pass unevaluated", b.File, b.lineOf("default_action")))
	}
	seen := map[string]bool{}
	for i := range b.Policies {
		p := &b.Policies[i]
		for j := range p.Rules {
			r := &p.Rules[j]
			field := fmt.Sprintf("policies[%d].rules[%d]", i, j)
			if r.ID != "" {
				field += " (id " + r.ID + ")"
			}
			trig, check, args, unsupported, err := e.compileRule(r)
			if err != nil {
				return nil, b.fieldError(field, "%v", err)
			}
			for _, name := range unsupported {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: %s: %s/%s param %s is accepted but not evaluated yet",
					b.File, field, r.Gate, r.Trigger, name))
			}
			c.rules[p.ID] = append(c.rules[p.ID], compiledRule{rule: r, check: check})
			if rq, ok := trig.(gate.Requester); ok && !seen[r.Gate+"/"+r.Trigger] {
				seen[r.Gate+"/"+r.Trigger] = true
				c.requests = append(c.requests, rq.Requests()...)
			}
			if rq, ok := trig.(gate.ArgsRequester); ok {
				c.requests = append(c.requests, rq.RequestsFor(args)...)
			}
		}
	}
	return c, nil
}

// UsesParam reports whether any rule of the gate's trigger gives the
// parameter, so callers gather costly evidence only when a rule needs it.
func (c *Compiled) UsesParam(gateName, trigger, param string) bool {
	for _, rules := range c.rules {
		for _, cr := range rules {
			if cr.rule.Gate != gateName || cr.rule.Trigger != trigger {
				continue
			}
			for _, p := range cr.rule.Params {
				if p.Name == param {
					return true
				}
			}
		}
	}
	return false
}

// UsesTrigger reports whether any rule names the gate's trigger.
func (c *Compiled) UsesTrigger(gateName, trigger string) bool {
	for _, rules := range c.rules {
		for _, cr := range rules {
			if cr.rule.Gate == gateName && cr.rule.Trigger == trigger {
				return true
			}
		}
	}
	return false
}

// ScopesLayers reports whether any rule is scoped to the base or the
// application layers, so callers look for the base only when a rule needs it.
func (c *Compiled) ScopesLayers() bool {
	for _, rules := range c.rules {
		for _, cr := range rules {
			if cr.rule.Layers == "base" || cr.rule.Layers == "application" {
				return true
			}
		}
	}
	return false
}

// Requests are the file contents the bundle's triggers need from the walk.
func (c *Compiled) Requests() []layerfs.Request { return c.requests }

func (e *Engine) compileRule(r *Rule) (gate.Trigger, gate.Check, gate.Args, []string, error) {
	r.Gate = strings.ToLower(r.Gate)
	r.Trigger = strings.ToLower(r.Trigger)
	g, ok := e.gates[r.Gate]
	if !ok {
		return nil, nil, nil, nil, fmt.Errorf("gate %q is unknown (gates: %s)", r.Gate, strings.Join(e.gateNames(), ", "))
	}
	var trig gate.Trigger
	var names []string
	for _, t := range g.Triggers() {
		names = append(names, t.Name())
		if t.Name() == r.Trigger {
			trig = t
		}
	}
	if trig == nil {
		return nil, nil, nil, nil, fmt.Errorf("gate %s has no trigger %q (triggers: %s)", r.Gate, r.Trigger, strings.Join(names, ", "))
	}
	args, unsupported, err := bindArgs(trig, r.Params)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s/%s: %w", r.Gate, r.Trigger, err)
	}
	check, err := trig.Compile(args)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s/%s: %w", r.Gate, r.Trigger, err)
	}
	return trig, gate.WithAnchoreIDs(trig, args, check), args, unsupported, nil
}

func (e *Engine) gateNames() []string {
	var out []string
	for n := range e.gates {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// bindArgs validates a rule's parameters against the trigger's and fills in
// defaults. It also returns the unsupported parameters the rule gives.
func bindArgs(t gate.Trigger, params []Param) (gate.Args, []string, error) {
	specs := map[string]gate.Param{}
	var names []string
	for _, p := range t.Params() {
		specs[p.Name] = p
		names = append(names, p.Name)
	}
	args := gate.Args{}
	var unsupported []string
	for _, p := range params {
		spec, ok := specs[p.Name]
		if !ok {
			if len(names) == 0 {
				return nil, nil, fmt.Errorf("param %q: the trigger takes no parameters", p.Name)
			}
			return nil, nil, fmt.Errorf("param %q is unknown (params: %s)", p.Name, strings.Join(names, ", "))
		}
		if _, dup := args[p.Name]; dup {
			return nil, nil, fmt.Errorf("param %q is given twice", p.Name)
		}
		if err := spec.Validate(p.Value); err != nil {
			return nil, nil, fmt.Errorf("param %s: %w", p.Name, err)
		}
		args[p.Name] = spec.Canonical(p.Value)
		if spec.Unsupported {
			unsupported = append(unsupported, p.Name)
		}
	}
	for _, spec := range t.Params() {
		if _, ok := args[spec.Name]; ok {
			continue
		}
		if spec.Required {
			return nil, nil, fmt.Errorf("param %s is required", spec.Name)
		}
		if spec.Default != "" {
			args[spec.Name] = spec.Default
		}
	}
	return args, unsupported, nil
}
