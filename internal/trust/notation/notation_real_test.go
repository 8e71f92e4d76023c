package notation_test

// Notation signatures made with notation-go against a real registry (Debian's
// docker-registry, distribution 2.8, with htpasswd auth), which has no
// referrers API: the signatures are found through the sha256-<hex> referrers
// tag. Skipped, saying what to install, when the registry is missing (failed
// under CI, see registrytest).

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/registrytest"
	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/notation/notationtest"
)

func TestRealRegistry(t *testing.T) {
	addr := registrytest.Start(t)
	t.Setenv("DOCKER_CONFIG", registrytest.DockerConfig(t, addr))
	ctx := context.Background()
	auth := remote.WithAuth(&authn.Basic{Username: registrytest.User, Password: registrytest.Password})
	acme, rogue := notationtest.NewPKI(t, "acme signer"), notationtest.NewPKI(t, "rogue signer")
	amd, arm := imagetest.Tiny(t, "amd64", "a"), imagetest.Tiny(t, "arm64", "b")
	idx, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		name string
		sign func(repo string)
		want bool
	}{
		{"JWS on the index", func(repo string) {
			notationtest.Sign(ctx, t, repo, imagetest.Digest(t, idx), acme, notationtest.JWS, notationtest.ArtifactTypeForm, auth)
		}, true},
		{"COSE on the platform manifest, config form", func(repo string) {
			notationtest.Sign(ctx, t, repo, imagetest.Digest(t, amd), acme, notationtest.COSE, notationtest.ConfigForm, auth)
		}, true},
		{"only the other platform", func(repo string) {
			notationtest.Sign(ctx, t, repo, imagetest.Digest(t, arm), acme, notationtest.COSE, notationtest.ArtifactTypeForm, auth)
		}, false},
		{"untrusted signer", func(repo string) {
			notationtest.Sign(ctx, t, repo, imagetest.Digest(t, idx), rogue, notationtest.JWS, notationtest.ArtifactTypeForm, auth)
		}, false},
		{"tampered", func(repo string) {
			target := notationtest.Target(ctx, t, repo, imagetest.Digest(t, amd), auth)
			env := tamperJWS(t, notationtest.Envelope(ctx, t, acme, target, notationtest.JWS))
			notationtest.Push(ctx, t, repo, target, env, notationtest.JWS, notationtest.ArtifactTypeForm, auth)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := fmt.Sprintf("%s/trusted/base%d", addr, i)
			if err := imagetest.PushIndex(ctx, repo+":1", idx, auth); err != nil {
				t.Fatal(err)
			}
			tc.sign(repo)
			opts := image.Options{Username: registrytest.User, Password: registrytest.Password, Insecure: []string{addr}, Platform: "linux/amd64"}
			im, err := image.Open(ctx, repo+":1", opts)
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			r, err := name.NewRepository(repo, name.Insecure)
			if err != nil {
				t.Fatal(err)
			}
			sigs, err := verifier(t, acme, []string{repo}).Verify(ctx, r, []string{im.ManifestDigest, im.IndexDigest}, image.RemoteOptions(ctx, opts))
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 0, false: 1}[tc.name == "only the other platform"]; len(sigs) != want {
				t.Fatalf("signatures = %+v, want %d", sigs, want)
			}
			if got := len(trust.Signers(sigs)) > 0; got != tc.want {
				t.Errorf("verified = %v, want %v (%+v)", got, tc.want, sigs)
			}
		})
	}
}
