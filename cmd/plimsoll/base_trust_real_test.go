package main

// The promotion flow of issue 7 against real things — Debian's docker-registry
// 2.8 with htpasswd auth, signatures made by the real cosign CLI, and Notation
// signatures made with notation-go (the notation CLI is not available here) and
// found through the referrers tag, as 2.8 has no referrers API — up to the
// trust gate (evaluate does not fill gate.Input.Trust yet, so the gate is run
// on trustInput's result directly). Skipped, saying what to install, when
// cosign or the registry is missing.

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/trust"
	"github.com/plimsoll/plimsoll/internal/registrytest"
	"github.com/plimsoll/plimsoll/internal/trust/bases"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
	"github.com/plimsoll/plimsoll/internal/trust/notation/notationtest"
)

func TestPromotionFlowRealCosign(t *testing.T) {
	bin := cosigntest.Binary(t)
	host := registrytest.Start(t)
	regClearEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir, untrustedDir := t.TempDir(), t.TempDir()
	env := cosigntest.Env(t, dir, host, registrytest.User, registrytest.Password)
	cosigntest.Run(t, bin, dir, env, "generate-key-pair")
	cosigntest.Run(t, bin, untrustedDir, env, "generate-key-pair")
	keyFile, catalog := filepath.Join(dir, "cosign.pub"), filepath.Join(dir, "bases.json")
	auth := remote.WithAuth(&authn.Basic{Username: registrytest.User, Password: registrytest.Password})
	pushSigned := func(ref, key string, layers ...string) string {
		t.Helper()
		img := layersImage(t, nil, layers...)
		if err := imagetest.Push(ctx, ref, img, auth); err != nil {
			t.Fatal(err)
		}
		d := regDigest(t, img)
		if key != "" {
			repo := ref[:len(ref)-len(":1")]
			cosigntest.Run(t, bin, filepath.Dir(key), env, "sign", "--key", key, "--tlog-upload=false",
				"--allow-insecure-registry", "--yes", repo+"@"+d)
		}
		return d
	}
	trustedKey, untrustedKey := filepath.Join(dir, "cosign.key"), filepath.Join(untrustedDir, "cosign.key")

	// Notation: a test CA trusted for the trusted repositories, and another.
	acme, rogue := notationtest.NewPKI(t, "acme base images"), notationtest.NewPKI(t, "rogue signer")
	notationtest.WriteStore(t, dir, "ca", "acme", acme.Root)
	var scopes []string
	for _, r := range []string{"ubi", "app-ubi", "notation-untrusted", "notation-tampered"} {
		scopes = append(scopes, host+"/trusted/"+r)
	}
	trustPolicy := notationtest.WritePolicy(t, dir, notationtest.Strict("trusted-bases", "acme", scopes, acme.Identity()))
	pushNotation := func(ref string, pki *notationtest.PKI, mediaType string, layers ...string) string {
		t.Helper()
		img := layersImage(t, nil, layers...)
		if err := imagetest.Push(ctx, ref, img, auth); err != nil {
			t.Fatal(err)
		}
		d := regDigest(t, img)
		notationtest.Sign(ctx, t, ref[:len(ref)-len(":1")], d, pki, mediaType, notationtest.ArtifactTypeForm, auth)
		return d
	}

	// 1-2. Two bases in the trusted repository — one signed with cosign, one
	// with Notation — approved by one base add that accepts either signer.
	pushSigned(host+"/trusted/debian:1", trustedKey, "debian-rootfs")
	pushNotation(host+"/trusted/ubi:1", acme, notationtest.COSE, "ubi-rootfs")
	creds := []string{"--username", registrytest.User, "--password", registrytest.Password, "--insecure-registry", host}
	signerArgs := []string{"--key", keyFile, "--notation-trust-policy", trustPolicy, "--notation-trust-store", dir}
	if out, errOut, code := run(t, append(append([]string{"base", "add", host + "/trusted/debian:1", host + "/trusted/ubi:1", "--catalog", catalog}, signerArgs...), creds...)...); code != 0 {
		t.Fatalf("base add = %q %q exit %d", out, errOut, code)
	}
	cat, err := bases.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	var signers []string
	for _, b := range cat.Bases {
		signers = append(signers, b.Reference+" "+b.Signer)
	}
	if len(signers) != 2 || !strings.HasSuffix(signers[1], "/trusted/ubi:1 "+acme.Leaf.Subject.String()) {
		t.Errorf("approved bases = %q, want debian (cosign key) and ubi (Notation certificate subject)", signers)
	}
	// 3-6. Applications.
	pushSigned(host+"/trusted/app:1", trustedKey, "debian-rootfs", "app")
	pushSigned(host+"/trusted/other-base:1", trustedKey, "alpine-rootfs", "app")
	pushSigned(host+"/dev/app:1", trustedKey, "debian-rootfs", "app")
	pushSigned(host+"/trusted/untrusted-key:1", untrustedKey, "debian-rootfs", "app")
	tampered := pushSigned(host+"/trusted/tampered:1", trustedKey, "debian-rootfs", "app", "tampered")
	cosigntest.Tamper(ctx, t, host+"/trusted/tampered", tampered, auth)
	pushNotation(host+"/trusted/app-ubi:1", acme, notationtest.JWS, "ubi-rootfs", "app")
	pushNotation(host+"/trusted/notation-untrusted:1", rogue, notationtest.JWS, "ubi-rootfs", "app")
	ntampered := layersImage(t, nil, "ubi-rootfs", "app", "tampered")
	if err := imagetest.Push(ctx, host+"/trusted/notation-tampered:1", ntampered, auth); err != nil {
		t.Fatal(err)
	}
	target := notationtest.Target(ctx, t, host+"/trusted/notation-tampered", regDigest(t, ntampered), auth)
	nenv := notationtest.Envelope(ctx, t, acme, target, notationtest.COSE)
	nenv[len(nenv)-1] ^= 1 // the COSE signature is the envelope's last field
	notationtest.Push(ctx, t, host+"/trusted/notation-tampered", target, nenv, notationtest.COSE, notationtest.ArtifactTypeForm, auth)

	opts := image.Options{Username: registrytest.User, Password: registrytest.Password, Insecure: []string{host}}
	flags := &trustFlags{signers: signerFlags{keys: []string{keyFile}, notation: notationFlags{policy: trustPolicy, store: dir}}, catalog: catalog}
	rules := []struct {
		trigger string
		args    map[string]string
	}{
		{"unsigned", nil},
		{"untrusted_registry", map[string]string{"trusted": host + "/trusted/*"}},
		{"base_not_approved", nil},
		{"base_outdated", nil},
	}
	for _, tc := range []struct {
		name, repo string
		want       []string
	}{
		{"signed, on the approved base", "trusted/app", nil},
		{"on another base", "trusted/other-base", []string{"base_not_approved@-"}},
		{"from another repository", "dev/app", []string{"untrusted_registry@-"}},
		{"signed by an untrusted key", "trusted/untrusted-key", []string{"unsigned@-"}},
		{"tampered signature", "trusted/tampered", []string{"unsigned@-"}},
		{"Notation-signed, on the Notation-approved base", "trusted/app-ubi", nil},
		{"Notation signature by an untrusted certificate", "trusted/notation-untrusted", []string{"unsigned@-"}},
		{"tampered Notation signature", "trusted/notation-tampered", []string{"unsigned@-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ref := host + "/" + tc.repo + ":1"
			im, err := image.Open(ctx, ref, opts)
			if err != nil {
				t.Fatal(err)
			}
			tr, _, err := trustInput(ctx, im, flags, opts)
			if err != nil {
				t.Fatal(err)
			}
			in := &gate.Input{Trust: tr, Now: time.Now()}
			if err := policy.ParseTag(ref, &in.Image); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rules {
				got = append(got, gatetest.IDs(gatetest.Run(t, trust.New(), r.trigger, r.args, in))...)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("trust gate fires (-want +got):\n%s", diff)
			}
		})
	}
}
