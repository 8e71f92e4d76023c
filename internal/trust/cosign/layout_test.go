package cosign_test

import (
	"context"
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// Signatures copied with the image into an OCI layout verify offline, found
// by the layout's tags, cosign save's kind annotations, or as referrers whose
// subject is the image; verification itself is the registry path's.
func TestVerifyLayout(t *testing.T) {
	ctx := context.Background()
	trusted, other := cosigntest.ECDSAKey(t), cosigntest.Ed25519Key(t)
	img := imagetest.Tiny(t, "amd64", "in a layout")
	d := imagetest.Digest(t, img)
	elsewhere := imagetest.Digest(t, imagetest.Tiny(t, "amd64", "another image"))
	tag := map[string]string{trust.RefNameAnnotation: cosign.SignatureTag(d)}
	bundle := func(k crypto.Signer, digest string) []byte {
		return cosigntest.BundleJSON(t, k, cosigntest.Statement(digest, cosign.CosignPredicate))
	}
	for _, tc := range []struct {
		name     string
		kind     map[string]string // the image entry's annotations
		attach   func(dir string)
		archive  bool
		keys     []crypto.Signer
		want     int // signatures found
		verified string
	}{
		{name: "legacy .sig tag", attach: func(dir string) {
			cosigntest.LayoutSign(t, dir, "example.com/app", d, trusted, tag)
		}, keys: []crypto.Signer{trusted}, want: 1, verified: cosign.KindSimpleSigning},
		{name: "legacy .sig tag, wrong key", attach: func(dir string) {
			cosigntest.LayoutSign(t, dir, "example.com/app", d, trusted, tag)
		}, keys: []crypto.Signer{other}, want: 1},
		{name: "legacy .sig tag in an OCI archive", archive: true, attach: func(dir string) {
			cosigntest.LayoutSign(t, dir, "example.com/app", d, trusted, tag)
		}, keys: []crypto.Signer{trusted}, want: 1, verified: cosign.KindSimpleSigning},
		{name: "full reference tag", attach: func(dir string) {
			cosigntest.LayoutSign(t, dir, "example.com/app", d, trusted, map[string]string{trust.RefNameAnnotation: "example.com/app:" + cosign.SignatureTag(d)})
		}, keys: []crypto.Signer{trusted}, want: 1, verified: cosign.KindSimpleSigning},
		{name: "cosign save kinds", kind: map[string]string{"kind": "dev.cosignproject.cosign/image"}, attach: func(dir string) {
			cosigntest.LayoutSign(t, dir, "example.com/app", d, trusted, map[string]string{"kind": "dev.cosignproject.cosign/sigs"})
		}, keys: []crypto.Signer{trusted}, want: 1, verified: cosign.KindSimpleSigning},
		{name: "cosign save sigs naming another image", kind: map[string]string{"kind": "dev.cosignproject.cosign/image"}, attach: func(dir string) {
			cosigntest.LayoutSign(t, dir, "example.com/app", elsewhere, trusted, map[string]string{"kind": "dev.cosignproject.cosign/sigs"})
		}, keys: []crypto.Signer{trusted}, want: 1},
		{name: "cosign save sigs without the image's kind", attach: func(dir string) {
			cosigntest.LayoutSign(t, dir, "example.com/app", d, trusted, map[string]string{"kind": "dev.cosignproject.cosign/sigs"})
		}, keys: []crypto.Signer{trusted}, want: 0},
		{name: "bundle referrer", attach: func(dir string) {
			cosigntest.LayoutReferrer(t, dir, d, cosign.BundleMediaTypes[0], cosign.BundleMediaTypes[0], bundle(trusted, d))
		}, keys: []crypto.Signer{trusted}, want: 1, verified: cosign.KindBundle},
		{name: "bundle referrer, wrong key", attach: func(dir string) {
			cosigntest.LayoutReferrer(t, dir, d, cosign.BundleMediaTypes[0], cosign.BundleMediaTypes[0], bundle(trusted, d))
		}, keys: []crypto.Signer{other}, want: 1},
		{name: "referrer of another image", attach: func(dir string) {
			cosigntest.LayoutReferrer(t, dir, elsewhere, cosign.BundleMediaTypes[0], cosign.BundleMediaTypes[0], bundle(trusted, elsewhere))
		}, keys: []crypto.Signer{trusted}, want: 0},
		{name: "no signatures", attach: func(string) {}, keys: []crypto.Signer{trusted}, want: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "layout")
			if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Tag: "1", Image: img}); err != nil {
				t.Fatal(err)
			}
			if tc.kind != nil {
				dir = filepath.Join(t.TempDir(), "saved")
				writeLayoutWith(t, dir, img, tc.kind)
			}
			tc.attach(dir)
			ref := "oci-dir:" + dir
			if tc.kind == nil {
				ref += ":1"
			}
			if tc.archive {
				ref = "oci-archive:" + tarLayout(t, dir)
			}
			l, err := trust.OpenLayout(ref)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			var keys []*cosign.PublicKey
			for _, k := range tc.keys {
				keys = append(keys, pubKey(t, k))
			}
			sigs, err := cosign.VerifyIn(ctx, l, []string{d, ""}, cosign.Trust{Keys: keys})
			if err != nil {
				t.Fatal(err)
			}
			if len(sigs) != tc.want {
				t.Fatalf("VerifyIn found %d signatures, want %d: %+v", len(sigs), tc.want, sigs)
			}
			verified := len(cosign.Signers(sigs)) > 0
			if verified != (tc.verified != "") || (verified && sigs[0].Kind != tc.verified) {
				t.Errorf("VerifyIn = %+v, want verified %q", sigs, tc.verified)
			}
		})
	}
}

// writeLayoutWith writes img into a new layout at dir with annotations on its
// index.json entry instead of a tag (cosign save's kind).
func writeLayoutWith(t *testing.T, dir string, img v1.Image, ann map[string]string) {
	t.Helper()
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "index.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	idx.Manifests[0].Annotations = ann
	if b, err = json.Marshal(idx); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tarLayout writes the layout at dir as an OCI archive and returns its path.
func tarLayout(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "layout.tar")
	if err := imagetest.TarDir(p, dir); err != nil {
		t.Fatal(err)
	}
	return p
}
