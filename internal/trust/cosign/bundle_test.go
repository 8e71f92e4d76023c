package cosign_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// startReferrersRegistry starts the in-process registry with the referrers
// API, or, with noAPI, one that answers 404 to it as distribution 2.8 does.
func startReferrersRegistry(t *testing.T, noAPI bool) string {
	t.Helper()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	h := registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(true))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if noAPI && strings.Contains(r.URL.Path, "/referrers/") {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestVerifyBundles(t *testing.T) {
	ctx := context.Background()
	trusted, other := cosigntest.ECDSAKey(t), cosigntest.Ed25519Key(t)
	tk := pubKey(t, trusted)
	img := imagetest.Tiny(t, "amd64", "bundled")
	d := imagetest.Digest(t, img)
	zero := "sha256:" + strings.Repeat("0", 64)
	for _, api := range []bool{true, false} {
		name := map[bool]string{true: "referrers API", false: "referrers tag"}[api]
		reg := startReferrersRegistry(t, !api)
		for _, tc := range []struct {
			name   string
			bundle func() []byte
			keys   []*cosign.PublicKey
			want   []outcome
		}{
			{name: "none", bundle: nil, keys: []*cosign.PublicKey{tk}},
			{name: "signed with the key", bundle: func() []byte {
				return cosigntest.BundleJSON(t, trusted, cosigntest.Statement(d, cosign.CosignPredicate))
			},
				keys: []*cosign.PublicKey{tk}, want: []outcome{{Verified: true, Signer: tk.Fingerprint}}},
			{name: "ed25519", bundle: func() []byte { return cosigntest.BundleJSON(t, other, cosigntest.Statement(d, cosign.CosignPredicate)) },
				keys: []*cosign.PublicKey{tk, pubKey(t, other)}, want: []outcome{{Verified: true, Signer: pubKey(t, other).Fingerprint}}},
			{name: "another key", bundle: func() []byte { return cosigntest.BundleJSON(t, other, cosigntest.Statement(d, cosign.CosignPredicate)) },
				keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "no given key verifies it"}}},
			{name: "statement about another digest", bundle: func() []byte {
				return cosigntest.BundleJSON(t, trusted, cosigntest.Statement(zero, cosign.CosignPredicate))
			},
				keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "subjects do not include"}}},
			{name: "an attestation is not a signature", bundle: func() []byte {
				return cosigntest.BundleJSON(t, trusted, cosigntest.Statement(d, "https://slsa.dev/provenance/v1"))
			},
				keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "is an attestation"}}},
			{name: "tampered statement", bundle: func() []byte {
				b := cosigntest.BundleJSON(t, trusted, cosigntest.Statement(d, cosign.CosignPredicate))
				good := cosigntest.Statement(d, cosign.CosignPredicate)
				bad := strings.Replace(string(good), "Statement/v1\", ", "Statement/v1\",", 1)
				return []byte(strings.Replace(string(b), b64(good), b64([]byte(bad)), 1))
			}, keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "no given key verifies it"}}},
			{name: "keyless", bundle: func() []byte {
				b := cosigntest.BundleJSON(t, trusted, cosigntest.Statement(d, cosign.CosignPredicate))
				return []byte(strings.Replace(string(b), `"publicKey":{"hint":"test"}`, `"certificate":{"rawBytes":"AAAA"}`, 1))
			}, keys: []*cosign.PublicKey{tk}, want: []outcome{{Reason: "keyless"}}},
		} {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				repo := reg + "/" + strings.ReplaceAll(tc.name, " ", "-")
				if err := imagetest.Push(ctx, repo+":1", img); err != nil {
					t.Fatal(err)
				}
				if tc.bundle != nil {
					cosigntest.PushBundle(ctx, t, repo, d, tc.bundle())
					if !api {
						cosigntest.BlankReferrersTag(ctx, t, repo, d)
					}
				}
				sigs := verifyRef(t, repo+":1", "", tc.keys...)
				for _, s := range sigs {
					if s.Kind != cosign.KindBundle {
						t.Errorf("signature kind %q, want %s", s.Kind, cosign.KindBundle)
					}
				}
				if diff := cmp.Diff(tc.want, outcomes(sigs, tc.want)); diff != "" {
					t.Errorf("signatures (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestParseBundle(t *testing.T) {
	k := cosigntest.ECDSAKey(t)
	good := string(cosigntest.BundleJSON(t, k, cosigntest.Statement("sha256:"+strings.Repeat("a", 64), cosign.CosignPredicate)))
	if _, err := cosign.ParseBundle([]byte(good)); err != nil {
		t.Fatalf("ParseBundle of a good bundle: %v", err)
	}
	for _, tc := range []struct{ name, in string }{
		{"not json", "{"},
		{"other media type", strings.Replace(good, "bundle.v0.3+json", "bundle.v9+json", 1)},
		{"no content", `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`},
		{"both contents", strings.Replace(good, `"dsseEnvelope"`, `"messageSignature":{},"dsseEnvelope"`, 1)},
		{"trailing data", good + "{}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := cosign.ParseBundle([]byte(tc.in)); !errors.Is(err, cosign.ErrBundle) {
				t.Errorf("ParseBundle = %v, want ErrBundle", err)
			}
		})
	}
}

func FuzzCheckBundle(f *testing.F) {
	k := cosigntest.ECDSAKey(f)
	digest := "sha256:" + strings.Repeat("a", 64)
	f.Add(cosigntest.BundleJSON(f, k, cosigntest.Statement(digest, cosign.CosignPredicate)))
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{}}`))
	pub, err := cosign.ParsePublicKey(cosigntest.PublicPEM(f, k))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := cosign.CheckBundle(cosign.Entry{Target: digest, Payload: b}, []*cosign.PublicKey{pub})
		if s.Verified == (s.Reason != "") {
			t.Fatalf("verified %v with reason %q", s.Verified, s.Reason)
		}
	})
}

// A Notation signature among the referrers is trust/notation's: cosign neither
// lists nor verifies it, nor the SBOM beside it.
func TestVerifySkipsNotation(t *testing.T) {
	ctx := context.Background()
	img := imagetest.Tiny(t, "amd64", "notation")
	d := imagetest.Digest(t, img)
	for _, fallback := range []bool{false, true} {
		reg := startReferrersRegistry(t, fallback)
		repo := reg + "/app"
		if err := imagetest.Push(ctx, repo+":1", img); err != nil {
			t.Fatal(err)
		}
		cosigntest.PushReferrer(ctx, t, repo, d, "application/vnd.cncf.notary.signature", "application/jose+json", []byte(`{"payload":"e30"}`))
		cosigntest.PushReferrer(ctx, t, repo, d, "application/spdx+json", "application/spdx+json", []byte(`{}`))
		sigs := verifyRef(t, repo+":1", "", pubKey(t, cosigntest.ECDSAKey(t)))
		if len(sigs) != 0 {
			t.Errorf("fallback %v: signatures = %+v, want none", fallback, sigs)
		}
	}
}
