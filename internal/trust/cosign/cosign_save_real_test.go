package cosign_test

// An image signed by the real cosign CLI in a real registry (docker-registry
// 2.8), copied with its signatures into an OCI layout by `cosign save`, and
// verified offline from the layout. cosign save marks its index.json entries
// with kind annotations (dev.cosignproject.cosign/image, …/sigs), not tags. Skipped, saying what to install, when
// cosign or the registry is missing.

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

func TestRealCosignSave(t *testing.T) {
	rc := startRealCosign(t, "trusted/saved", "saved by cosign")
	bin, dir, env, repo, digest := rc.bin, rc.dir, rc.env, rc.repo, rc.digest
	ctx := context.Background()
	cosigntest.Run(t, bin, dir, env, "generate-key-pair")
	cosigntest.Run(t, bin, dir, env, "sign", "--key", "cosign.key", "--tlog-upload=false",
		"--allow-insecure-registry", "--yes", repo+"@"+digest)
	saved := filepath.Join(dir, "saved")
	cosigntest.Run(t, bin, dir, env, "save", "--allow-insecure-registry", "--dir", saved, repo+"@"+digest)

	// The layout holds the image and its signature entries, untagged: it opens
	// without naming the image, as plimsoll verify oci-dir:DIR does.
	opened, err := image.Open(ctx, "oci-dir:"+saved, image.Options{Platform: "linux/amd64"})
	if err != nil {
		t.Fatalf("open cosign save's layout: %v", err)
	}
	if opened.ManifestDigest != digest {
		t.Errorf("opened %s, want the signed image %s", opened.ManifestDigest, digest)
	}
	key, err := cosign.LoadPublicKey(filepath.Join(dir, "cosign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	other := pubKey(t, cosigntest.ECDSAKey(t))
	for _, tc := range []struct {
		name     string
		key      *cosign.PublicKey
		verified bool
	}{
		{"cosign's key", key, true},
		{"another key", other, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := trust.OpenLayout("oci-dir:" + saved)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			sigs, err := cosign.VerifyIn(ctx, l, []string{digest}, cosign.Trust{Keys: []*cosign.PublicKey{tc.key}})
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 || sigs[0].Kind != cosign.KindSimpleSigning || sigs[0].Verified != tc.verified {
				t.Errorf("signatures in cosign save's layout = %+v, want one simple-signing, verified %v", sigs, tc.verified)
			}
		})
	}
}
