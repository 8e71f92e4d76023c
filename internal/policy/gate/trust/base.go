package trust

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

type baseNotApproved struct{}

func (baseNotApproved) Name() string { return "base_not_approved" }
func (baseNotApproved) Description() string {
	return "Fires when the image is built on no approved base image (by layer ChainID), or when no approved-base catalogue was given."
}
func (baseNotApproved) Params() []gate.Param {
	return []gate.Param{{Name: "allow_scratch", Type: gate.Bool, Default: "false",
		Description: "pass an image that looks built FROM scratch: no layers, or only COPY/ADD steps in its history that add no root filesystem (a heuristic)"}}
}
func (baseNotApproved) Compile(a gate.Args) (gate.Check, error) {
	allowScratch := a.Bool("allow_scratch")
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		switch {
		case in.Trust == nil || !in.Trust.Bases:
			return fire("base_not_approved", "no approved-base catalogue was given"), nil
		case in.Trust.Base != nil:
			return nil, nil
		case allowScratch && scratch(in):
			return nil, nil
		}
		return fire("base_not_approved", "the image is built on no approved base image"), nil
	}, nil
}

// scratch reports whether the image looks built FROM scratch: it has no
// layers, or every layer's history step copies files in (COPY, or ADD to a
// path other than "/"), with no RUN and no root filesystem added — what a
// base image's own steps would show. History is written by the builder, so
// this is a heuristic that allow_scratch opts into, not a proof.
func scratch(in *gate.Input) bool {
	for _, l := range in.Layers {
		step := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(l.CreatedBy), "/bin/sh -c #(nop) "), "# buildkit"))
		fields := strings.Fields(step)
		switch {
		case len(fields) < 3:
			return false
		case fields[0] == "COPY":
		case fields[0] == "ADD" && fields[len(fields)-1] != "/" && !strings.HasPrefix(fields[1], "file:"):
		default:
			return false
		}
	}
	return true
}

type baseOutdated struct{}

func (baseOutdated) Name() string { return "base_outdated" }
func (baseOutdated) Description() string {
	return "Fires when the image is built on an approved base whose tag has since moved to another digest, longer ago than the grace period."
}
func (baseOutdated) Params() []gate.Param {
	return []gate.Param{{Name: "grace_days", Type: gate.Int, Default: "0",
		Description: "days after the base's tag moved before an image on the old digest fires"}}
}
func (baseOutdated) Compile(a gate.Args) (gate.Check, error) {
	grace := a.Int("grace_days")
	if grace < 0 {
		return nil, fmt.Errorf("grace_days %d is negative", grace)
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.Trust == nil || in.Trust.Base == nil || in.Trust.Base.Replaced.IsZero() {
			return nil, nil
		}
		b := in.Trust.Base
		if in.Now.Sub(b.Replaced) <= time.Duration(grace)*24*time.Hour {
			return nil, nil
		}
		return []gate.Fire{{ID: "base_outdated", Layer: b.Layers - 1,
			Detail: fmt.Sprintf("built on %s@%s, which the tag stopped pointing to on %s (grace %d days)",
				b.Reference, b.Digest, b.Replaced.Format(time.DateOnly), grace)}}, nil
	}, nil
}
