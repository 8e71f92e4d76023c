package notation_test

import (
	"context"
	"path/filepath"
	"testing"

	godigest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
	"github.com/plimsoll/plimsoll/internal/trust/notation"
	"github.com/plimsoll/plimsoll/internal/trust/notation/notationtest"
)

// A Notation signature copied with the image into an OCI layout (a referrer
// listed in index.json) verifies offline; with no registry naming the image,
// only a "*" or "local/oci-layout" trust policy statement applies.
func TestVerifyLayout(t *testing.T) {
	ctx := context.Background()
	pki, stranger := notationtest.NewPKI(t, "acme"), notationtest.NewPKI(t, "stranger")
	img := imagetest.Tiny(t, "amd64", "notation in a layout")
	d := imagetest.Digest(t, img)
	raw, err := img.RawManifest()
	if err != nil {
		t.Fatal(err)
	}
	mt, err := img.MediaType()
	if err != nil {
		t.Fatal(err)
	}
	target := ocispec.Descriptor{MediaType: string(mt), Digest: godigest.Digest(d), Size: int64(len(raw))}
	for _, tc := range []struct {
		name     string
		signer   *notationtest.PKI
		scopes   []string
		verified bool
	}{
		{"trusted signer, * scope", pki, []string{"*"}, true},
		{"untrusted signer", stranger, []string{"*"}, false},
		{"trusted signer, local/oci-layout scope", pki, []string{notation.LayoutScope}, true},
		{"statement for a repository only", pki, []string{"registry.example.com/app"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "layout")
			if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Tag: "1", Image: img}); err != nil {
				t.Fatal(err)
			}
			env := notationtest.Envelope(ctx, t, tc.signer, target, notation.MediaTypeJWS)
			cosigntest.LayoutReferrer(t, dir, d, notation.ArtifactType, notation.MediaTypeJWS, env)
			l, err := trust.OpenLayout("oci-dir:" + dir)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			sigs, err := verifier(t, pki, tc.scopes).VerifyIn(ctx, l, []string{d}, notation.LayoutScope)
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != 1 || sigs[0].Verified != tc.verified || sigs[0].Kind != notation.Kind {
				t.Errorf("VerifyIn = %+v, want one Notation signature, verified %v", sigs, tc.verified)
			}
		})
	}
}
