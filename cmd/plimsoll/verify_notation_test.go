package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/trust"
	"github.com/plimsoll/plimsoll/internal/trust/bases"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
	"github.com/plimsoll/plimsoll/internal/trust/notation/notationtest"
)

// verify, base add and the trust gate take Notation signatures, verified with
// a trust policy and trust store in Notation's formats.
func TestVerifyNotation(t *testing.T) {
	ctx := context.Background()
	regClearEnv(t)
	reg := notationtest.Registry(t, true)
	acme, rogue := notationtest.NewPKI(t, "acme signer"), notationtest.NewPKI(t, "rogue signer")
	dir := t.TempDir()
	notationtest.WriteStore(t, dir, "ca", "acme", acme.Root)
	policy := notationtest.WritePolicy(t, dir, notationtest.Strict("base-images", "acme", []string{reg + "/base/signed", reg + "/base/rogue"}))
	nflags := []string{"--notation-trust-policy", policy, "--notation-trust-store", dir}
	signed, rogueRepo := reg+"/base/signed", reg+"/base/rogue"
	d := push(t, signed+":1", layersImage(t, nil, "signed"))
	notationtest.Sign(ctx, t, signed, d, acme, notationtest.COSE, notationtest.ArtifactTypeForm)
	rd := push(t, rogueRepo+":1", layersImage(t, nil, "rogue"))
	notationtest.Sign(ctx, t, rogueRepo, rd, rogue, notationtest.JWS, notationtest.ConfigForm)
	subject := acme.Leaf.Subject.String()

	out, errOut, code := run(t, append([]string{"verify", signed + ":1", "-o", "json"}, nflags...)...)
	var rep verifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("verify signed = %q %q exit %d: %v", out, errOut, code, err)
	}
	if !rep.Verified || len(rep.Signers) != 1 || rep.Signers[0] != subject || rep.Signatures[0].Kind != "notation" ||
		rep.Signatures[0].Envelope != notationtest.COSE || rep.Signatures[0].KeySource != "trust policy base-images" {
		t.Errorf("verify signed = %+v", rep)
	}
	if out, _, code := run(t, append([]string{"verify", signed + ":1"}, nflags...)...); code != 0 || !strings.Contains(out, "notation (cose)") || !strings.Contains(out, subject) {
		t.Errorf("verify signed, table = %q exit %d", out, code)
	}
	if out, _, code := run(t, append([]string{"verify", rogueRepo + ":1"}, nflags...)...); code != 1 || !strings.Contains(out, "notation (jws)") || !strings.Contains(out, "trusted certificate") {
		t.Errorf("verify signed by an untrusted certificate = %q exit %d, want 1", out, code)
	}
	if _, errOut, code := run(t, "verify", signed+":1", "--notation-trust-policy", policy); code != 2 || !strings.Contains(errOut, "--notation-trust-store") {
		t.Errorf("verify with a policy and no store = %q exit %d, want 2", errOut, code)
	}
	if _, errOut, code := run(t, "verify", signed+":1", "--notation-trust-policy", filepath.Join(dir, "none.json"), "--notation-trust-store", dir); code != 2 || !strings.Contains(errOut, "none.json") {
		t.Errorf("verify with a missing policy = %q exit %d, want 2", errOut, code)
	}
	t.Setenv("PLIMSOLL_NOTATION_TRUST_POLICY", policy)
	t.Setenv("PLIMSOLL_NOTATION_TRUST_STORE", dir)
	if out, errOut, code := run(t, "verify", signed+":1"); code != 0 {
		t.Errorf("verify with the Notation files from the environment = %q %q exit %d, want 0", out, errOut, code)
	}
	os.Unsetenv("PLIMSOLL_NOTATION_TRUST_POLICY")
	os.Unsetenv("PLIMSOLL_NOTATION_TRUST_STORE")
	// Without a Notation trust policy, the signature is listed, not verified.
	keyFile := filepath.Join(t.TempDir(), "cosign.pub")
	if err := os.WriteFile(keyFile, cosigntest.PublicPEM(t, cosigntest.ECDSAKey(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, code := run(t, "verify", signed+":1", "--key", keyFile); code != 1 || !strings.Contains(out, "no Notation trust policy") {
		t.Errorf("verify with a cosign key only = %q exit %d, want 1", out, code)
	}

	// base add approves a Notation-signed base and records its signer.
	catalog := filepath.Join(dir, "bases.json")
	if _, errOut, code := run(t, append([]string{"base", "add", rogueRepo + ":1", "--catalog", catalog}, nflags...)...); code != 1 || !strings.Contains(errOut, "not approved") {
		t.Errorf("base add signed by an untrusted certificate = %q exit %d, want 1", errOut, code)
	}
	if out, errOut, code := run(t, append([]string{"base", "add", signed + ":1", "--catalog", catalog}, nflags...)...); code != 0 {
		t.Fatalf("base add = %q %q exit %d", out, errOut, code)
	}
	cat, err := bases.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Bases) != 1 || cat.Bases[0].Signer != subject {
		t.Errorf("catalogue = %+v, want the signed base with signer %s", cat.Bases, subject)
	}

	// The trust gate's unsigned trigger counts a Notation signature.
	flags := &trustFlags{signers: signerFlags{notation: notationFlags{policy: policy, store: dir}}}
	for _, tc := range []struct {
		ref  string
		want []string
	}{{signed + ":1", nil}, {rogueRepo + ":1", []string{"unsigned@-"}}} {
		im, err := image.Open(ctx, tc.ref, image.Options{})
		if err != nil {
			t.Fatal(err)
		}
		tr, _, err := trustInput(ctx, im, flags, image.Options{})
		im.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := gatetest.IDs(gatetest.Run(t, trust.New(), "unsigned", nil, &gate.Input{Trust: tr, Now: time.Now()}))
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: unsigned fires %v, want %v", tc.ref, got, tc.want)
		}
	}
}
