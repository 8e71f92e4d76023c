package cosign_test

// Signatures made by the real cosign CLI (go install
// github.com/sigstore/cosign/v2/cmd/cosign@v2.6.5) against a real registry
// (Debian's docker-registry, distribution 2.8, with htpasswd auth), verified by
// plimsoll. Skipped, saying what to install, when either is missing (see
// cosigntest.Binary and registrytest for when a missing program fails instead).

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/registrytest"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// realCosign is what the real-cosign tests start from: the cosign binary, a
// registry, a working directory with cosign's environment, and a tiny image
// pushed to repo:1.
type realCosign struct {
	bin, addr, dir, repo, digest string
	env                          []string
	basic                        *authn.Basic
}

// startRealCosign finds cosign (or skips), starts the registry and pushes a
// tiny image labelled label to ADDR/path:1.
func startRealCosign(t *testing.T, path, label string) *realCosign {
	t.Helper()
	rc := &realCosign{bin: cosigntest.Binary(t), addr: registrytest.Start(t), dir: t.TempDir(),
		basic: &authn.Basic{Username: registrytest.User, Password: registrytest.Password}}
	rc.env = cosigntest.Env(t, rc.dir, rc.addr, registrytest.User, registrytest.Password)
	rc.repo = rc.addr + "/" + path
	img := imagetest.Tiny(t, "amd64", label)
	if err := imagetest.Push(context.Background(), rc.repo+":1", img, remote.WithAuth(rc.basic)); err != nil {
		t.Fatal(err)
	}
	rc.digest = imagetest.Digest(t, img)
	return rc
}

func TestRealCosign(t *testing.T) {
	rc := startRealCosign(t, "trusted/base", "signed by cosign")
	bin, addr, dir, env, basic, repo, digest := rc.bin, rc.addr, rc.dir, rc.env, rc.basic, rc.repo, rc.digest
	ctx := context.Background()

	cosigntest.Run(t, bin, dir, env, "generate-key-pair")
	if err := os.Mkdir(filepath.Join(dir, "other"), 0o700); err != nil {
		t.Fatal(err)
	}
	cosigntest.Run(t, bin, filepath.Join(dir, "other"), env, "generate-key-pair")
	cosigntest.Run(t, bin, dir, env, "sign", "--key", "cosign.key", "--tlog-upload=false",
		"--allow-insecure-registry", "--yes", repo+"@"+digest)

	opts := image.Options{Username: registrytest.User, Password: registrytest.Password, Insecure: []string{addr}}
	key, err := cosign.LoadPublicKey(filepath.Join(dir, "cosign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := cosign.LoadPublicKey(filepath.Join(dir, "other", "cosign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	verify := func(keys ...*cosign.PublicKey) []cosign.Signature {
		t.Helper()
		im, err := image.Open(ctx, repo+":1", opts)
		if err != nil {
			t.Fatal(err)
		}
		r, err := cosign.Repository(im, opts.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := cosign.Verify(ctx, r, []string{im.ManifestDigest, im.IndexDigest}, keys, image.RemoteOptions(ctx, opts))
		if err != nil {
			t.Fatal(err)
		}
		return sigs
	}
	if sigs := verify(key); len(sigs) != 1 || !sigs[0].Verified || sigs[0].Signer != key.Fingerprint {
		t.Fatalf("cosign's signature with its key = %+v, want verified by %s", sigs, key.Fingerprint)
	}
	if sigs := verify(other); len(sigs) != 1 || sigs[0].Verified {
		t.Errorf("cosign's signature with another key = %+v, want not verified", sigs)
	}

	// The sigstore bundle format: cosign attaches a DSSE bundle as an OCI
	// referrer, through the sha256-<hex> tag since distribution 2.8 has no
	// referrers API.
	bundled := addr + "/trusted/bundled"
	img2 := imagetest.Tiny(t, "amd64", "signed by cosign in a bundle")
	if err := imagetest.Push(ctx, bundled+":1", img2, remote.WithAuth(basic)); err != nil {
		t.Fatal(err)
	}
	cosigntest.Run(t, bin, dir, env, "sign", "--key", "cosign.key", "--tlog-upload=false",
		"--allow-insecure-registry", "--yes", "--new-bundle-format", bundled+"@"+imagetest.Digest(t, img2))
	verifyBundled := func(k *cosign.PublicKey) []cosign.Signature {
		t.Helper()
		r, err := name.NewRepository(bundled, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := cosign.Verify(ctx, r, []string{imagetest.Digest(t, img2)}, []*cosign.PublicKey{k}, image.RemoteOptions(ctx, opts))
		if err != nil {
			t.Fatal(err)
		}
		return sigs
	}
	if sigs := verifyBundled(key); len(sigs) != 1 || sigs[0].Kind != cosign.KindBundle || !sigs[0].Verified || sigs[0].Signer != key.Fingerprint {
		t.Errorf("cosign's bundle with its key = %+v, want one verified bundle", sigs)
	}
	if sigs := verifyBundled(other); len(sigs) != 1 || sigs[0].Verified {
		t.Errorf("cosign's bundle with another key = %+v, want not verified", sigs)
	}

	// Tamper: replace the payload, keeping cosign's signature annotation.
	cosigntest.Tamper(ctx, t, repo, digest, remote.WithAuth(basic))
	if sigs := verify(key); len(sigs) != 1 || sigs[0].Verified {
		t.Errorf("tampered payload = %+v, want not verified", sigs)
	}
}
