package cosign_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

const (
	devID     = "dev@example.com"
	devIssuer = "https://issuer.example"
)

// trustedRoot writes the virtual Sigstore's trusted_root.json and loads it
// back as plimsoll does.
func trustedRoot(t *testing.T, vs *ca.VirtualSigstore) *root.TrustedRoot {
	t.Helper()
	loaded, err := cosign.LoadTrustedRoot(cosigntest.TrustedRootFile(t, vs))
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

func keylessBundle(t *testing.T, vs *ca.VirtualSigstore, identity, issuer string, statement []byte) []byte {
	t.Helper()
	return cosigntest.KeylessBundle(t, vs, identity, issuer, statement)
}

func TestKeyless(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	other, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	tr := trustedRoot(t, vs)
	d := "sha256:" + strings.Repeat("a", 64)
	good := keylessBundle(t, vs, devID, devIssuer, cosigntest.Statement(d, cosign.CosignPredicate))
	dev := []cosign.Identity{{Subject: devID, Issuer: devIssuer}}
	for _, tc := range []struct {
		name    string
		k       cosign.Keyless
		bundle  []byte
		digest  string
		wantErr string
	}{
		{name: "identity and issuer", k: cosign.Keyless{Root: tr, Identities: dev}, bundle: good, digest: d},
		{name: "regexps", k: cosign.Keyless{Root: tr, Identities: []cosign.Identity{{SubjectRegexp: `@example\.com$`, IssuerRegexp: `^https://issuer\.`}}}, bundle: good, digest: d},
		{name: "one of two identities", k: cosign.Keyless{Root: tr, Identities: append([]cosign.Identity{{Subject: "ops@example.com", Issuer: devIssuer}}, dev...)}, bundle: good, digest: d},
		{name: "another identity", k: cosign.Keyless{Root: tr, Identities: dev},
			bundle: keylessBundle(t, vs, "eve@example.com", devIssuer, cosigntest.Statement(d, cosign.CosignPredicate)), digest: d, wantErr: "eve@example.com"},
		{name: "another issuer", k: cosign.Keyless{Root: tr, Identities: []cosign.Identity{{Subject: devID, Issuer: "https://other.example"}}}, bundle: good, digest: d, wantErr: "issuer"},
		{name: "another digest", k: cosign.Keyless{Root: tr, Identities: dev}, bundle: good, digest: "sha256:" + strings.Repeat("b", 64), wantErr: "digest"},
		{name: "an attestation", k: cosign.Keyless{Root: tr, Identities: dev},
			bundle: keylessBundle(t, vs, devID, devIssuer, cosigntest.Statement(d, "https://slsa.dev/provenance/v1")), digest: d, wantErr: "not a cosign signature"},
		// Another Sigstore: its timestamp authority, log and CA are untrusted.
		{name: "untrusted sigstore", k: cosign.Keyless{Root: tr, Identities: dev},
			bundle: keylessBundle(t, other, devID, devIssuer, cosigntest.Statement(d, cosign.CosignPredicate)), digest: d, wantErr: "does not verify"},
		{name: "no identity given", k: cosign.Keyless{Root: tr}, bundle: good, digest: d, wantErr: "no accepted identity"},
		// The virtual Sigstore as trusted material in memory: its Rekor log
		// vouches for the entry.
		{name: "transparency log required", k: cosign.Keyless{Root: vs, Identities: dev, RequireTlog: true}, bundle: good, digest: d},
		// Through trusted_root.json the virtual log's ID does not round-trip
		// (the virtual Sigstore keys it by its hex string), so no trusted log
		// vouches for the entry: only the timestamp authority does.
		{name: "transparency log required, entry from no trusted log", k: cosign.Keyless{Root: tr, Identities: dev, RequireTlog: true}, bundle: good, digest: d, wantErr: "log"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signer, err := tc.k.Verify(tc.bundle, tc.digest)
			if tc.wantErr == "" {
				if err != nil || signer != devID+" ("+devIssuer+")" {
					t.Errorf("Verify = %q, %v; want %s (%s)", signer, err, devID, devIssuer)
				}
				return
			}
			if !errors.Is(err, cosign.ErrKeyless) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Verify = %q, %v; want ErrKeyless mentioning %q", signer, err, tc.wantErr)
			}
		})
	}
}

// A keyless bundle attached to an image is verified through the registry with
// a trusted root and identity, and only listed without them.
func TestVerifyKeylessReferrer(t *testing.T) {
	ctx := context.Background()
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	reg := startReferrersRegistry(t, true)
	img := imagetest.Tiny(t, "amd64", "keyless")
	d := imagetest.Digest(t, img)
	repo := reg + "/keyless"
	if err := imagetest.Push(ctx, repo+":1", img); err != nil {
		t.Fatal(err)
	}
	cosigntest.PushBundle(ctx, t, repo, d, keylessBundle(t, vs, devID, devIssuer, cosigntest.Statement(d, cosign.CosignPredicate)))
	im, err := image.Open(ctx, repo+":1", image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := cosign.Repository(im, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := image.RemoteOptions(ctx, image.Options{})
	kl := &cosign.Keyless{Root: trustedRoot(t, vs), Identities: []cosign.Identity{{Subject: devID, Issuer: devIssuer}}}
	sigs, err := cosign.VerifyWith(ctx, r, []string{d}, cosign.Trust{Keyless: kl}, opts)
	if err != nil || len(sigs) != 1 || !sigs[0].Verified || sigs[0].Signer != devID+" ("+devIssuer+")" {
		t.Errorf("VerifyWith keyless = %+v, %v; want verified by %s", sigs, err, devID)
	}
	sigs, err = cosign.Verify(ctx, r, []string{d}, nil, opts)
	if err != nil || len(sigs) != 1 || sigs[0].Verified || !strings.Contains(sigs[0].Reason, "trusted root") {
		t.Errorf("Verify without keyless trust = %+v, %v; want listed, not verified", sigs, err)
	}
}

func FuzzKeylessVerify(f *testing.F) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		f.Fatal(err)
	}
	d := "sha256:" + strings.Repeat("a", 64)
	f.Add(cosigntest.KeylessBundle(f, vs, devID, devIssuer, cosigntest.Statement(d, cosign.CosignPredicate)))
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`))
	k := cosign.Keyless{Root: vs, Identities: []cosign.Identity{{Subject: devID, Issuer: devIssuer}}}
	f.Fuzz(func(t *testing.T, b []byte) {
		signer, err := k.Verify(b, d)
		if (err == nil) != (signer != "") {
			t.Fatalf("Verify = %q, %v", signer, err)
		}
		s := cosign.CheckBundleWith(cosign.Entry{Target: d, Payload: b}, cosign.Trust{Keyless: &k})
		if s.Verified == (s.Reason != "") {
			t.Fatalf("verified %v with reason %q", s.Verified, s.Reason)
		}
	})
}

// A keyless bundle whose only trusted time is its log entry (no timestamp
// authority: what the public-good instance's bundles hold) verifies without
// --require-tlog too: the verified entry's integrated time is the time.
func TestKeylessLogTimeOnly(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	d := "sha256:" + strings.Repeat("a", 64)
	var b map[string]any
	if err := json.Unmarshal(keylessBundle(t, vs, devID, devIssuer, cosigntest.Statement(d, cosign.CosignPredicate)), &b); err != nil {
		t.Fatal(err)
	}
	delete(b["verificationMaterial"].(map[string]any), "timestampVerificationData")
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	dev := []cosign.Identity{{Subject: devID, Issuer: devIssuer}}
	for _, requireTlog := range []bool{false, true} {
		k := cosign.Keyless{Root: vs, Identities: dev, RequireTlog: requireTlog}
		if signer, err := k.Verify(raw, d); err != nil || signer != devID+" ("+devIssuer+")" {
			t.Errorf("RequireTlog %v: Verify = %q, %v; want verified by the log's time", requireTlog, signer, err)
		}
	}
	// With the log not trusted, nothing gives the time.
	k := cosign.Keyless{Root: trustedRoot(t, vs), Identities: dev}
	if _, err := k.Verify(raw, d); err == nil {
		t.Error("Verify with no trusted observer succeeded")
	}
}
