package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/trust"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// The promotion flow without the evaluate wiring: a signed base is approved,
// and the trust gate passes an application built on it and signed, and fails
// an unsigned one on another base.
func TestTrustInputPromotion(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	dir := t.TempDir()
	k := cosigntest.ECDSAKey(t)
	keyFile, catalog := filepath.Join(dir, "cosign.pub"), filepath.Join(dir, "bases.json")
	if err := os.WriteFile(keyFile, cosigntest.PublicPEM(t, k), 0o644); err != nil {
		t.Fatal(err)
	}
	baseRepo := reg + "/trusted/debian"
	cosigntest.Sign(ctx, t, baseRepo, push(t, baseRepo+":12", layersImage(t, nil, "debian")), k)
	if out, errOut, code := run(t, "base", "add", baseRepo+":12", "--key", keyFile, "--catalog", catalog); code != 0 {
		t.Fatalf("base add = %q %q exit %d", out, errOut, code)
	}
	good := reg + "/trusted/app"
	cosigntest.Sign(ctx, t, good, push(t, good+":1", layersImage(t, nil, "debian", "app")), k)
	bad := reg + "/trusted/other"
	push(t, bad+":1", layersImage(t, nil, "alpine", "app"))

	flags := &trustFlags{signers: signerFlags{keys: []string{keyFile}}, catalog: catalog}
	triggers := []string{"unsigned", "base_not_approved", "base_outdated"}
	for _, tc := range []struct {
		name, ref string
		want      []string
	}{
		{"signed on the approved base", good + ":1", nil},
		{"unsigned on another base", bad + ":1", []string{"unsigned@-", "base_not_approved@-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im, err := image.Open(ctx, tc.ref, image.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tr, warnings, err := trustInput(ctx, im, flags, image.Options{})
			if err != nil || len(warnings) != 0 {
				t.Fatalf("trustInput: %v %v", err, warnings)
			}
			in := &gate.Input{Trust: tr, Now: time.Now()}
			var got []string
			for _, name := range triggers {
				got = append(got, gatetest.IDs(gatetest.Run(t, trust.New(), name, nil, in))...)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
	im, err := image.Open(ctx, good+":1", image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr, _, err := trustInput(ctx, im, &trustFlags{}, image.Options{}); tr != nil || err != nil {
		t.Errorf("trustInput without flags = %+v, %v; want nil", tr, err)
	}
	tr, _, err := trustInput(ctx, im, &trustFlags{catalog: catalog}, image.Options{})
	if err != nil || tr.Signatures || tr.Base == nil || tr.Base.Layers != 1 || tr.Base.Reference != baseRepo+":12" {
		t.Errorf("trustInput with a catalogue only = %+v, %v", tr, err)
	}
}
