package main

// plimsoll verify and base add --key on signatures made by the real cosign CLI
// against a real registry (docker-registry 2.8 with htpasswd). Skipped, saying
// what to install, when cosign or the registry is missing.

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/registrytest"
	"github.com/plimsoll/plimsoll/internal/trust/bases"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

func TestVerifyRealCosign(t *testing.T) {
	bin := cosigntest.Binary(t)
	host := registrytest.Start(t)
	regClearEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	env := cosigntest.Env(t, dir, host, registrytest.User, registrytest.Password)
	cosigntest.Run(t, bin, dir, env, "generate-key-pair")
	keyFile := filepath.Join(dir, "cosign.pub")

	auth := remote.WithAuth(&authn.Basic{Username: registrytest.User, Password: registrytest.Password})
	amd, arm := regImage(t, "amd64", "debian", "12"), regImage(t, "arm64", "debian", "12")
	idx, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	multi, single := host+"/trusted/debian", host+"/trusted/single"
	if err := imagetest.PushIndex(ctx, multi+":12", idx, auth); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.Push(ctx, single+":1", amd, auth); err != nil {
		t.Fatal(err)
	}
	// cosign signs the index only; each platform is verified through it.
	cosigntest.Run(t, bin, dir, env, "sign", "--key", "cosign.key", "--tlog-upload=false",
		"--allow-insecure-registry", "--yes", multi+"@"+regDigest(t, idx))

	flags := []string{"--username", registrytest.User, "--password", registrytest.Password, "--insecure-registry", host}
	for _, platform := range []string{"linux/amd64", "linux/arm64"} {
		out, errOut, code := run(t, append([]string{"verify", multi + ":12", "--key", keyFile, "--platform", platform}, flags...)...)
		if code != 0 || !strings.Contains(out, "index "+short(regDigest(t, idx))) || !strings.Contains(out, "yes") {
			t.Errorf("verify %s = %q %q exit %d, want verified through the index", platform, out, errOut, code)
		}
	}
	if out, _, code := run(t, append([]string{"verify", single + ":1", "--key", keyFile}, flags...)...); code != 1 {
		t.Errorf("verify of the unsigned repository = %q exit %d, want 1", out, code)
	}

	catalog := filepath.Join(dir, "bases.json")
	if out, errOut, code := run(t, append([]string{"base", "add", multi + ":12", "--key", keyFile, "--platform", "linux/arm64", "--catalog", catalog}, flags...)...); code != 0 {
		t.Fatalf("base add = %q %q exit %d", out, errOut, code)
	}
	cat, err := bases.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	b := cat.Bases[0]
	if b.Platform != "linux/arm64" || b.Digest != regDigest(t, arm) || b.IndexDigest != regDigest(t, idx) || !strings.HasPrefix(b.Signer, "sha256:") {
		t.Errorf("catalogue entry = %+v, want the arm64 manifest of the signed index with its signer", b)
	}
}
