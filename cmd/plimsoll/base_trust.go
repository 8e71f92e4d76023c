package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/trust/bases"
)

// trustFlags feed the trust gate: the keys, identities and Notation trust
// policy signatures are verified with, and the approved-base catalogue. evaluate and scan register them and fill
// gate.Input.Trust with trustInput.
type trustFlags struct {
	signers signerFlags
	catalog string
}

func (t *trustFlags) register(cmd *cobra.Command) {
	t.signers.register(cmd, "public key (cosign.pub) that image signatures are verified with, for the trust gate (repeatable)")
	cmd.Flags().StringVar(&t.catalog, "base-catalog", "", "approved-base catalogue file, for the trust gate (env PLIMSOLL_BASE_CATALOG)")
	envName(cmd, "base-catalog", "PLIMSOLL_BASE_CATALOG")
}

// trustInput verifies im's signatures when signers are given and detects its
// approved base when a catalogue is given; nil when neither is (the trust gate
// then fails closed). It returns warnings: base annotations that disagree with
// the layers. A registry or catalogue failure is an error, not a failed check.
func trustInput(ctx context.Context, im *image.Image, t *trustFlags, o image.Options) (*gate.Trust, []string, error) {
	vs, signers, err := t.signers.load()
	if err != nil {
		return nil, nil, err
	}
	if !signers && t.catalog == "" {
		return nil, nil, nil
	}
	out := &gate.Trust{}
	if signers {
		rep, err := verifyImage(ctx, im, vs, o)
		if err != nil {
			return nil, nil, err
		}
		out.Signatures, out.Signers = true, rep.Signers
	}
	if t.catalog == "" {
		return out, nil, nil
	}
	cat, err := loadCatalog(t.catalog, false)
	if err != nil {
		return nil, nil, err
	}
	diffIDs := make([]string, len(im.Layers))
	for i, l := range im.Layers {
		diffIDs[i] = l.DiffID
	}
	m, err := bases.NewIndex(cat).Detect(diffIDs)
	if err != nil {
		return nil, nil, err
	}
	out.Bases = true
	if m.Found() {
		h := m.Hits[0]
		for _, c := range m.Hits { // prefer a base's current digest
			if c.Superseded == nil {
				h = c
				break
			}
		}
		out.Base = &gate.BaseInfo{Reference: h.Base.Reference, Digest: h.Digest(), Layers: m.Layers}
		if h.Superseded != nil {
			out.Base.Replaced = h.Superseded.Replaced
		}
	}
	return out, bases.CheckHints(m, im.Annotations), nil
}
