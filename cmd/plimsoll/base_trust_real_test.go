package main

// The promotion flow of issue 7 against real things — Debian's docker-registry
// 2.8 with htpasswd auth and signatures made by the real cosign CLI — up to the
// trust gate (evaluate does not fill gate.Input.Trust yet, so the gate is run
// on trustInput's result directly). Skipped, saying what to install, when
// cosign or the registry is missing.

import (
	"context"
	"path/filepath"
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
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
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

	// 1-2. A base, signed, in the trusted repository, approved with its key.
	pushSigned(host+"/trusted/debian:1", trustedKey, "debian-rootfs")
	creds := []string{"--username", registrytest.User, "--password", registrytest.Password, "--insecure-registry", host}
	if out, errOut, code := run(t, append([]string{"base", "add", host + "/trusted/debian:1", "--key", keyFile, "--catalog", catalog}, creds...)...); code != 0 {
		t.Fatalf("base add = %q %q exit %d", out, errOut, code)
	}
	// 3-6. Applications.
	pushSigned(host+"/trusted/app:1", trustedKey, "debian-rootfs", "app")
	pushSigned(host+"/trusted/other-base:1", trustedKey, "alpine-rootfs", "app")
	pushSigned(host+"/dev/app:1", trustedKey, "debian-rootfs", "app")
	pushSigned(host+"/trusted/untrusted-key:1", untrustedKey, "debian-rootfs", "app")
	tampered := pushSigned(host+"/trusted/tampered:1", trustedKey, "debian-rootfs", "app", "tampered")
	cosigntest.Tamper(ctx, t, host+"/trusted/tampered", tampered, auth)

	opts := image.Options{Username: registrytest.User, Password: registrytest.Password, Insecure: []string{host}}
	flags := &trustFlags{signers: signerFlags{keys: []string{keyFile}}, catalog: catalog}
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
