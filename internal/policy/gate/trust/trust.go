// Package trust is the trust gate: is the image signed by a trusted key, does it
// come from a trusted registry, is it built on an approved base image (and the
// current version of it), and does it descend from a denylisted stack. It reads
// what verification and base detection found through gate.Input.Trust; when
// they did not run, the signature and base triggers fire, failing closed.
package trust

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/trust"
)

// Gate is the trust gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "trust" }

// Description says what the gate does.
func (Gate) Description() string {
	return "Checks of the image's provenance: signatures, registry, approved base image."
}

// Triggers lists the gate's triggers.
func (Gate) Triggers() []gate.Trigger {
	return []gate.Trigger{unsigned{}, untrustedRegistry{}, baseNotApproved{}, baseOutdated{}, denylistedAncestor{}}
}

type unsigned struct{}

func (unsigned) Name() string { return "unsigned" }
func (unsigned) Description() string {
	return "Fires when no signature on the image (or its index) verifies — a cosign signature with the configured keys or keyless identities, or a Notation signature under the configured trust policy — or when none of these was configured."
}
func (unsigned) Params() []gate.Param { return nil }
func (unsigned) Compile(gate.Args) (gate.Check, error) {
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		switch {
		case in.Trust == nil || !in.Trust.Signatures:
			return fire("unsigned", "no signature verification was configured (give --key, the keyless flags, or --notation-trust-policy with --notation-trust-store)"), nil
		case len(in.Trust.Signers) == 0:
			return fire("unsigned", "no signature verifies with the configured keys, identities or Notation trust policy"), nil
		}
		return nil, nil
	}, nil
}

type untrustedRegistry struct{}

func (untrustedRegistry) Name() string { return "untrusted_registry" }
func (untrustedRegistry) Description() string {
	return "Fires when the image's registry/repository matches none of the trusted globs."
}
func (untrustedRegistry) Params() []gate.Param {
	return []gate.Param{{Name: "trusted", Type: gate.List, Required: true,
		Description: "comma-separated globs of registry/repository: registry.example.com/base/*, registry.example.com (any repository), registry.example.com/** (any depth)"}}
}
func (untrustedRegistry) Compile(a gate.Args) (gate.Check, error) {
	globs := a.List("trusted")
	if len(globs) == 0 {
		return nil, fmt.Errorf("trusted: no globs given")
	}
	for _, g := range globs {
		if _, err := path.Match(strings.TrimSuffix(g, "/**"), ""); err != nil {
			return nil, fmt.Errorf("trusted: bad glob %q: %w", g, err)
		}
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.Image.Registry == "" {
			return fire("untrusted_registry", "the image was not read from a registry (its registry is not known)"), nil
		}
		repo := in.Image.Registry + "/" + in.Image.Repository
		for _, g := range globs {
			if Trusted(g, in.Image.Registry, in.Image.Repository) {
				return nil, nil
			}
		}
		return fire("untrusted_registry", fmt.Sprintf("%s matches no trusted registry or repository (%s)", repo, strings.Join(globs, ", "))), nil
	}, nil
}

// Trusted reports whether glob admits registry/repository: a glob without "/"
// names a whole registry, one ending in "/**" a registry path and everything
// under it, any other is matched by path.Match ("*" stays within a path segment).
func Trusted(glob, registry, repository string) bool {
	full := registry + "/" + repository
	if !strings.Contains(glob, "/") {
		ok, _ := path.Match(glob, registry)
		return ok
	}
	if prefix, ok := strings.CutSuffix(glob, "/**"); ok {
		for p := full; strings.Contains(p, "/"); p = path.Dir(p) {
			if ok, _ := path.Match(prefix, path.Dir(p)); ok {
				return true
			}
		}
		return false
	}
	ok, _ := path.Match(glob, full)
	return ok
}

type denylistedAncestor struct{}

func (denylistedAncestor) Name() string { return "denylisted_ancestor" }
func (denylistedAncestor) Description() string {
	return "Fires when the image's lowest layers are one of the denylisted layer stacks (ChainIDs, as plimsoll base list -o json and base detect -o json show them)."
}
func (denylistedAncestor) Params() []gate.Param {
	return []gate.Param{{Name: "chain_ids", Type: gate.List, Required: true,
		Description: "comma-separated ChainIDs (sha256:…) of denied layer stacks"}}
}
func (denylistedAncestor) Compile(a gate.Args) (gate.Check, error) {
	denied := map[string]bool{}
	for _, id := range a.List("chain_ids") {
		if err := trust.CheckDigest(id); err != nil {
			return nil, fmt.Errorf("chain_ids: %w", err)
		}
		denied[id] = true
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		diffIDs := make([]string, len(in.Layers))
		for i, l := range in.Layers {
			diffIDs[i] = l.DiffID
		}
		chain, err := trust.ChainIDs(diffIDs)
		if err != nil {
			return nil, fmt.Errorf("denylisted_ancestor: %w", err)
		}
		var out []gate.Fire
		for i, id := range chain {
			if denied[id] {
				out = append(out, gate.Fire{ID: "denylisted_ancestor:" + id, Layer: i,
					Detail: fmt.Sprintf("layers 0-%d are the denylisted stack %s", i, id)})
			}
		}
		return out, nil
	}, nil
}

func fire(id, detail string) []gate.Fire {
	return []gate.Fire{{ID: id, Detail: detail, Layer: gate.NoLayer}}
}
