package notation_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/notation"
	"github.com/plimsoll/plimsoll/internal/trust/notation/notationtest"
)

// verifier makes a verifier trusting pki's CA (store "acme") for scopes.
func verifier(t *testing.T, pki *notationtest.PKI, scopes []string, identities ...string) *notation.Verifier {
	t.Helper()
	dir := t.TempDir()
	notationtest.WriteStore(t, dir, "ca", "acme", pki.Root)
	policy := notationtest.WritePolicy(t, dir, notationtest.Strict("images", "acme", scopes, identities...))
	v, err := notation.Load(policy, dir, notation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// verifyRef opens ref as plimsoll does and verifies its Notation signatures.
func verifyRef(t *testing.T, v *notation.Verifier, ref, platform string) []trust.Signature {
	t.Helper()
	ctx := context.Background()
	im, err := image.Open(ctx, ref, image.Options{Platform: platform})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	repo, err := name.NewRepository(strings.SplitN(im.RepoDigests[0], "@", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := v.Verify(ctx, repo, []string{im.ManifestDigest, im.IndexDigest}, image.RemoteOptions(ctx, image.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return sigs
}

type outcome struct {
	Verified bool
	Envelope string
	Signer   string
	Reason   string // a substring of the reason
}

func outcomes(sigs []trust.Signature) []outcome {
	var out []outcome
	for _, s := range sigs {
		out = append(out, outcome{Verified: s.Verified, Envelope: s.Envelope, Signer: s.Signer, Reason: s.Reason})
	}
	return out
}

// reasonsMatch lets want.Reason be a substring of got.Reason.
var reasonsMatch = cmp.Comparer(func(a, b outcome) bool {
	if a.Verified != b.Verified || a.Envelope != b.Envelope || a.Signer != b.Signer {
		return false
	}
	if a.Reason == "" || b.Reason == "" {
		return a.Reason == b.Reason
	}
	return strings.Contains(a.Reason, b.Reason) || strings.Contains(b.Reason, a.Reason)
})

func TestVerify(t *testing.T) {
	ctx := context.Background()
	acme, rogue := notationtest.NewPKI(t, "acme signer"), notationtest.NewPKI(t, "rogue signer")
	signer := acme.Leaf.Subject.String()
	img := imagetest.Tiny(t, "amd64", "signed")
	d := imagetest.Digest(t, img)
	for _, api := range []bool{true, false} {
		reg := notationtest.Registry(t, api)
		for _, tc := range []struct {
			name   string
			sign   func(repo string)
			scopes []string // nil: the image's repository
			ids    []string
			want   []outcome
		}{
			{name: "unsigned", sign: func(string) {}},
			{name: "JWS", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, acme, notationtest.JWS, notationtest.ArtifactTypeForm)
			},
				want: []outcome{{Verified: true, Envelope: notationtest.JWS, Signer: signer}}},
			{name: "COSE", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, acme, notationtest.COSE, notationtest.ArtifactTypeForm)
			},
				want: []outcome{{Verified: true, Envelope: notationtest.COSE, Signer: signer}}},
			{name: "config media type form", sign: func(repo string) { notationtest.Sign(ctx, t, repo, d, acme, notationtest.JWS, notationtest.ConfigForm) },
				want: []outcome{{Verified: true, Envelope: notationtest.JWS, Signer: signer}}},
			{name: "config media type form COSE", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, acme, notationtest.COSE, notationtest.ConfigForm)
			},
				want: []outcome{{Verified: true, Envelope: notationtest.COSE, Signer: signer}}},
			{name: "wildcard scope", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, acme, notationtest.JWS, notationtest.ArtifactTypeForm)
			},
				scopes: []string{"*"}, want: []outcome{{Verified: true, Envelope: notationtest.JWS, Signer: signer}}},
			{name: "trusted identity", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, acme, notationtest.JWS, notationtest.ArtifactTypeForm)
			},
				ids: []string{acme.Identity()}, want: []outcome{{Verified: true, Envelope: notationtest.JWS, Signer: signer}}},
			{name: "another identity", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, acme, notationtest.JWS, notationtest.ArtifactTypeForm)
			},
				ids:  []string{"x509.subject: CN=someone else,O=Plimsoll Test,ST=WA,C=US"},
				want: []outcome{{Envelope: notationtest.JWS, Reason: "trusted identities"}}},
			{name: "untrusted signer", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, rogue, notationtest.JWS, notationtest.ArtifactTypeForm)
			},
				want: []outcome{{Envelope: notationtest.JWS, Reason: `signed by "CN=rogue signer`}}},
			{name: "untrusted signer COSE", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, rogue, notationtest.COSE, notationtest.ConfigForm)
			},
				want: []outcome{{Envelope: notationtest.COSE, Reason: "does not contain any trusted certificate"}}},
			{name: "scope mismatch", sign: func(repo string) {
				notationtest.Sign(ctx, t, repo, d, acme, notationtest.JWS, notationtest.ArtifactTypeForm)
			},
				scopes: []string{"registry.example.com/other"}, want: []outcome{{Envelope: notationtest.JWS, Reason: "no trust policy statement's registryScopes include"}}},
			{name: "tampered JWS", sign: func(repo string) {
				target := notationtest.Target(ctx, t, repo, d)
				env := tamperJWS(t, notationtest.Envelope(ctx, t, acme, target, notationtest.JWS))
				notationtest.Push(ctx, t, repo, target, env, notationtest.JWS, notationtest.ArtifactTypeForm)
			}, want: []outcome{{Envelope: notationtest.JWS, Reason: "signature is invalid"}}},
			{name: "tampered COSE", sign: func(repo string) {
				target := notationtest.Target(ctx, t, repo, d)
				env := notationtest.Envelope(ctx, t, acme, target, notationtest.COSE)
				env[len(env)-1] ^= 1 // the signature is the last field
				notationtest.Push(ctx, t, repo, target, env, notationtest.COSE, notationtest.ArtifactTypeForm)
			}, want: []outcome{{Envelope: notationtest.COSE, Reason: "signature is invalid"}}},
			{name: "signature over another image", sign: func(repo string) {
				other := imagetest.Tiny(t, "amd64", "other")
				if err := imagetest.Push(ctx, repo+":other", other); err != nil {
					t.Fatal(err)
				}
				env := notationtest.Envelope(ctx, t, acme, notationtest.Target(ctx, t, repo, imagetest.Digest(t, other)), notationtest.JWS)
				notationtest.Push(ctx, t, repo, notationtest.Target(ctx, t, repo, d), env, notationtest.JWS, notationtest.ArtifactTypeForm)
			}, want: []outcome{{Envelope: notationtest.JWS, Reason: "content descriptor mismatch"}}},
		} {
			t.Run(map[bool]string{true: "referrers API", false: "referrers tag"}[api]+"/"+tc.name, func(t *testing.T) {
				repoName := strings.ReplaceAll(tc.name, " ", "-")
				repo := reg + "/" + strings.ToLower(repoName)
				if err := imagetest.Push(ctx, repo+":1", img); err != nil {
					t.Fatal(err)
				}
				tc.sign(repo)
				scopes := tc.scopes
				if scopes == nil {
					scopes = []string{repo}
				}
				got := outcomes(verifyRef(t, verifier(t, acme, scopes, tc.ids...), repo+":1", ""))
				if diff := cmp.Diff(tc.want, got, reasonsMatch); diff != "" {
					t.Errorf("signatures (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// tamperJWS changes the signed payload of a JWS envelope (flattened JSON
// serialisation) so its signature no longer covers it.
func tamperJWS(t *testing.T, env []byte) []byte {
	t.Helper()
	s := string(env)
	i := strings.Index(s, `"payload":"`)
	if i < 0 {
		t.Fatalf("no payload in %s", s)
	}
	i += len(`"payload":"`)
	j := i + strings.IndexByte(s[i:], '"')
	p, err := base64.RawURLEncoding.DecodeString(s[i:j])
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(p), `"size":`, `"size": `, 1)
	return []byte(s[:i] + base64.RawURLEncoding.EncodeToString([]byte(bad)) + s[j:])
}

// For a multi-platform index, a signature on the index or on the platform
// manifest counts; one on another platform's manifest does not.
func TestVerifyIndex(t *testing.T) {
	ctx := context.Background()
	acme := notationtest.NewPKI(t, "acme signer")
	amd, arm := imagetest.Tiny(t, "amd64", "a"), imagetest.Tiny(t, "arm64", "b")
	idx, err := imagetest.Index(amd, arm)
	if err != nil {
		t.Fatal(err)
	}
	for _, api := range []bool{true, false} {
		reg := notationtest.Registry(t, api)
		for _, tc := range []struct {
			name   string
			signed string
			want   bool
		}{
			{"index signed", imagetest.Digest(t, idx), true},
			{"platform manifest signed", imagetest.Digest(t, amd), true},
			{"only the other platform signed", imagetest.Digest(t, arm), false},
		} {
			t.Run(map[bool]string{true: "referrers API", false: "referrers tag"}[api]+"/"+tc.name, func(t *testing.T) {
				repo := reg + "/" + strings.ReplaceAll(tc.name, " ", "-")
				if err := imagetest.PushIndex(ctx, repo+":1", idx); err != nil {
					t.Fatal(err)
				}
				notationtest.Sign(ctx, t, repo, tc.signed, acme, notationtest.COSE, notationtest.ArtifactTypeForm)
				sigs := verifyRef(t, verifier(t, acme, []string{repo}), repo+":1", "linux/amd64")
				if got := len(trust.Signers(sigs)) > 0; got != tc.want {
					t.Errorf("verified = %v, want %v (%+v)", got, tc.want, sigs)
				}
			})
		}
	}
}
