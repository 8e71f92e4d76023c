package cosign_test

import (
	"context"
	"crypto"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

func startRegistry(t *testing.T) string {
	t.Helper()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func pubKey(t *testing.T, k crypto.Signer) *cosign.PublicKey {
	t.Helper()
	p, err := cosign.ParsePublicKey(cosigntest.PublicPEM(t, k))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// verifyRef opens ref as plimsoll does and verifies its signatures with keys.
func verifyRef(t *testing.T, ref, platform string, keys ...*cosign.PublicKey) []cosign.Signature {
	t.Helper()
	ctx := context.Background()
	im, err := image.Open(ctx, ref, image.Options{Platform: platform})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := cosign.Repository(im, nil)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := cosign.Verify(ctx, repo, []string{im.ManifestDigest, im.IndexDigest}, keys, image.RemoteOptions(ctx, image.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return sigs
}

type outcome struct {
	Verified bool
	Signer   string
	Reason   string // the wanted fragment when the reason contains it
}

// outcomes reduces signatures to outcomes, a reason to want's fragment when it
// contains it.
func outcomes(sigs []cosign.Signature, want []outcome) []outcome {
	var out []outcome
	for i, s := range sigs {
		o := outcome{Verified: s.Verified, Signer: s.Signer, Reason: s.Reason}
		if i < len(want) && want[i].Reason != "" && strings.Contains(s.Reason, want[i].Reason) {
			o.Reason = want[i].Reason
		}
		out = append(out, o)
	}
	return out
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	reg := startRegistry(t)
	trusted, other := cosigntest.ECDSAKey(t), cosigntest.ECDSAKey(t)
	tk := pubKey(t, trusted)
	img := imagetest.Tiny(t, "amd64", "x")
	d := imagetest.Digest(t, img)

	type setup func(repo string)
	for _, tc := range []struct {
		name  string
		setup setup
		keys  []*cosign.PublicKey
		want  []outcome
	}{
		{name: "unsigned", setup: func(string) {}, keys: []*cosign.PublicKey{tk}},
		{name: "signed with the key", setup: func(repo string) { cosigntest.Sign(ctx, t, repo, d, trusted) },
			keys: []*cosign.PublicKey{tk}, want: []outcome{{Verified: true, Signer: tk.Fingerprint}}},
		{name: "signed by another key", setup: func(repo string) { cosigntest.Sign(ctx, t, repo, d, other) },
			keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "no given key verifies it"}}},
		{name: "one of two keys", setup: func(repo string) { cosigntest.Sign(ctx, t, repo, d, other) },
			keys: []*cosign.PublicKey{tk, pubKey(t, other)}, want: []outcome{{Verified: true, Signer: pubKey(t, other).Fingerprint}}},
		{name: "no keys", setup: func(repo string) { cosigntest.Sign(ctx, t, repo, d, trusted) },
			want: []outcome{{Reason: "no key given"}}},
		{name: "tampered payload", setup: func(repo string) {
			p := cosigntest.Payload(t, repo, d)
			sig := cosigntest.SignBytes(t, trusted, p)
			p = []byte(strings.Replace(string(p), repo, repo+"x", 1))
			cosigntest.Push(ctx, t, repo, d, []cosigntest.Layer{{Payload: p, Signature: sig}})
		}, keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "no given key verifies it"}}},
		{name: "payload for another digest under this tag", setup: func(repo string) {
			p := cosigntest.Payload(t, repo, "sha256:"+strings.Repeat("0", 64))
			cosigntest.Push(ctx, t, repo, d, []cosigntest.Layer{{Payload: p, Signature: cosigntest.SignBytes(t, trusted, p)}})
		}, keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "payload signs"}}},
		{name: "signature not base64", setup: func(repo string) {
			cosigntest.Push(ctx, t, repo, d, []cosigntest.Layer{{Payload: cosigntest.Payload(t, repo, d), Signature: "!!"}})
		}, keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "not base64"}}},
		{name: "a bad and a good signature", setup: func(repo string) {
			cosigntest.Sign(ctx, t, repo, d, other)
			cosigntest.Sign(ctx, t, repo, d, trusted)
		}, keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "no given key verifies it"}, {Verified: true, Signer: tk.Fingerprint}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := reg + "/" + strings.ReplaceAll(tc.name, " ", "-")
			if err := imagetest.Push(ctx, repo+":1", img); err != nil {
				t.Fatal(err)
			}
			tc.setup(repo)
			got := outcomes(verifyRef(t, repo+":1", "", tc.keys...), tc.want)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("signatures (-want +got):\n%s", diff)
			}
		})
	}
}

// For a multi-platform index, a signature on the index or on the platform
// manifest counts; one on another platform's manifest does not.
func TestVerifyIndex(t *testing.T) {
	ctx := context.Background()
	reg := startRegistry(t)
	k := cosigntest.ECDSAKey(t)
	pk := pubKey(t, k)
	amd, arm := imagetest.Tiny(t, "amd64", "a"), imagetest.Tiny(t, "arm64", "b")
	idx, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		signed func(repo string)
		want   bool
	}{
		{"index signed", func(repo string) { cosigntest.Sign(ctx, t, repo, imagetest.Digest(t, idx), k) }, true},
		{"platform manifest signed", func(repo string) { cosigntest.Sign(ctx, t, repo, imagetest.Digest(t, amd), k) }, true},
		{"only the other platform signed", func(repo string) { cosigntest.Sign(ctx, t, repo, imagetest.Digest(t, arm), k) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := reg + "/" + strings.ReplaceAll(tc.name, " ", "-")
			if err := imagetest.PushIndex(ctx, repo+":1", idx); err != nil {
				t.Fatal(err)
			}
			tc.signed(repo)
			sigs := verifyRef(t, repo+":1", "linux/amd64", pk)
			if got := len(cosign.Signers(sigs)) > 0; got != tc.want {
				t.Errorf("verified = %v, want %v (%+v)", got, tc.want, sigs)
			}
		})
	}
}

func TestRepositoryNotRegistry(t *testing.T) {
	if _, err := cosign.Repository(&image.Image{Reference: "oci-dir:x", Source: "oci-dir"}, nil); err == nil {
		t.Error("Repository of a layout image succeeded")
	}
}
