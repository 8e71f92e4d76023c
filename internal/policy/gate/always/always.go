// Package always is the always gate: its trigger fires for every image, to
// stop (or flag) anything a mapping selects.
package always

import (
	"context"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Gate is the always gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "always" }

// Description says what the gate does.
func (Gate) Description() string { return "Triggers that fire unconditionally." }

// Triggers lists the gate's one trigger.
func (Gate) Triggers() []gate.Trigger { return []gate.Trigger{always{}} }

type always struct{}

func (always) Name() string { return "always" }
func (always) Description() string {
	return "Fires once for every image the rule's policy is mapped to."
}
func (always) Params() []gate.Param { return nil }
func (always) Compile(gate.Args) (gate.Check, error) {
	return func(context.Context, *gate.Input) ([]gate.Fire, error) {
		return []gate.Fire{{ID: "always", Detail: "the always trigger fires for every image", Layer: gate.NoLayer}}, nil
	}, nil
}
