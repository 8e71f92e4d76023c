package cosign_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// verifyWithTrust opens ref and verifies its signatures with tr.
func verifyWithTrust(t *testing.T, ref string, tr cosign.Trust) []cosign.Signature {
	t.Helper()
	ctx := context.Background()
	im, err := image.Open(ctx, ref, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := cosign.Repository(im, nil)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := cosign.VerifyWith(ctx, repo, []string{im.ManifestDigest, im.IndexDigest}, tr, image.RemoteOptions(ctx, image.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return sigs
}

// Keyless legacy .sig signatures, as cosign v2 writes them by default, pushed
// to a registry and verified against an offline CA and log.
func TestVerifyLegacyKeyless(t *testing.T) {
	ctx := context.Background()
	reg := startRegistry(t)
	ss, other := cosigntest.NewSigstore(t), cosigntest.NewSigstore(t)
	tr, err := cosign.LoadTrustedRoot(ss.TrustedRootFile(t))
	if err != nil {
		t.Fatal(err)
	}
	img := imagetest.Tiny(t, "amd64", "legacy keyless")
	d := imagetest.Digest(t, img)
	dev := []cosign.Identity{{Subject: devID, Issuer: devIssuer}}
	kl := func(ids []cosign.Identity, requireTlog bool) cosign.Trust {
		return cosign.Trust{Keyless: &cosign.Keyless{Root: tr, Identities: ids, RequireTlog: requireTlog}}
	}
	opts := cosigntest.LegacyOptions{Identity: devID, Issuer: devIssuer}
	with := func(f func(o *cosigntest.LegacyOptions)) cosigntest.LegacyOptions {
		o := opts
		f(&o)
		return o
	}
	signer := devID + " (" + devIssuer + ")"
	now := time.Now()
	for _, tc := range []struct {
		name  string
		layer func(repo string) cosigntest.Layer
		trust cosign.Trust
		want  outcome
	}{
		{name: "valid", layer: func(repo string) cosigntest.Layer { return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts) },
			trust: kl(dev, false), want: outcome{Verified: true, Signer: signer}},
		{name: "valid, tlog required", layer: func(repo string) cosigntest.Layer { return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts) },
			trust: kl(dev, true), want: outcome{Verified: true, Signer: signer}},
		{name: "regexps", layer: func(repo string) cosigntest.Layer { return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts) },
			trust: kl([]cosign.Identity{{SubjectRegexp: `@example\.com$`, IssuerRegexp: `^https://issuer\.`}}, false), want: outcome{Verified: true, Signer: signer}},
		{name: "URI identity", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), cosigntest.LegacyOptions{Identity: "https://github.com/o/r/.github/workflows/release.yml@refs/heads/main", Issuer: devIssuer})
		}, trust: kl([]cosign.Identity{{SubjectRegexp: `^https://github\.com/o/r/`, Issuer: devIssuer}}, false),
			want: outcome{Verified: true, Signer: "https://github.com/o/r/.github/workflows/release.yml@refs/heads/main (" + devIssuer + ")"}},
		{name: "no keyless trust given", layer: func(repo string) cosigntest.Layer { return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts) },
			want: outcome{Reason: "give a trusted root"}},
		{name: "wrong identity", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), with(func(o *cosigntest.LegacyOptions) { o.Identity = "eve@example.com" }))
		}, trust: kl(dev, false), want: outcome{Reason: "eve@example.com"}},
		{name: "wrong issuer", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), with(func(o *cosigntest.LegacyOptions) { o.Issuer = "https://evil.example" }))
		}, trust: kl(dev, false), want: outcome{Reason: "issuer"}},
		{name: "certificate from an untrusted CA", layer: func(repo string) cosigntest.Layer {
			// Another CA's certificate, logged in the trusted log.
			return relog(t, ss, other.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts))
		}, trust: kl(dev, false), want: outcome{Reason: "leaf certificate verification failed"}},
		{name: "signature tampered after logging", layer: func(repo string) cosigntest.Layer {
			l := ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts)
			l.Signature = flipSig(t, l.Signature)
			return l
		}, trust: kl(dev, false), want: outcome{Reason: "another signature"}},
		// Rekor's hashedrekord parser already checks the logged signature
		// against the logged hash, before sigstore-go checks it over the
		// payload.
		{name: "logged signature over other bytes", layer: func(repo string) cosigntest.Layer {
			p := cosigntest.Payload(t, repo, d)
			l := ss.LegacyLayer(t, append([]byte(" "), p...), with(func(o *cosigntest.LegacyOptions) { o.LoggedPayload = p }))
			l.Payload = p
			return l
		}, trust: kl(dev, false), want: outcome{Reason: "invalid signature"}},
		{name: "SET signed by an unknown key", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), with(func(o *cosigntest.LegacyOptions) { o.SETKey = other.RekorKey }))
		}, trust: kl(dev, false), want: outcome{Reason: "unable to verify SET"}},
		{name: "entry from a log not in the trusted root", layer: func(repo string) cosigntest.Layer {
			return other.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts)
		}, trust: kl(dev, false), want: outcome{Reason: "is not in the trusted root"}},
		{name: "rekor body for a different payload", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), with(func(o *cosigntest.LegacyOptions) { o.LoggedPayload = []byte("{}") }))
		}, trust: kl(dev, false), want: outcome{Reason: "not the payload's"}},
		{name: "certificate expired at the integrated time", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), with(func(o *cosigntest.LegacyOptions) {
				o.IntegratedTime, o.NotBefore, o.NotAfter = now, now.Add(-20*time.Minute), now.Add(-10*time.Minute)
			}))
		}, trust: kl(dev, false), want: outcome{Reason: "integrated time outside certificate validity"}},
		{name: "no rekor bundle", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), with(func(o *cosigntest.LegacyOptions) { o.NoRekorBundle = true }))
		}, trust: kl(dev, false), want: outcome{Reason: "no trusted time"}},
		{name: "no rekor bundle, tlog required", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), with(func(o *cosigntest.LegacyOptions) { o.NoRekorBundle = true }))
		}, trust: kl(dev, true), want: outcome{Reason: "one is required"}},
		{name: "payload for another digest", layer: func(repo string) cosigntest.Layer {
			return ss.LegacyLayer(t, cosigntest.Payload(t, repo, "sha256:"+strings.Repeat("0", 64)), opts)
		}, trust: kl(dev, false), want: outcome{Reason: "payload signs"}},
		{name: "malformed rekor bundle", layer: func(repo string) cosigntest.Layer {
			l := ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), opts)
			l.Annotations[cosign.RekorBundleAnnotation] = `{"SignedEntryTimestamp":"!!"}`
			return l
		}, trust: kl(dev, false), want: outcome{Reason: "invalid rekor bundle"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := reg + "/" + strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(tc.name, " ", "-"), ",", ""))
			if err := imagetest.Push(ctx, repo+":1", img); err != nil {
				t.Fatal(err)
			}
			cosigntest.Push(ctx, t, repo, d, []cosigntest.Layer{tc.layer(repo)})
			want := []outcome{tc.want}
			sigs := verifyWithTrust(t, repo+":1", tc.trust)
			for _, s := range sigs {
				t.Logf("verified %v, signer %q, reason %q", s.Verified, s.Signer, s.Reason)
			}
			got := outcomes(sigs, want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("signatures (-want +got):\n%s", diff)
			}
		})
	}
}

// relog replaces a layer's Rekor bundle with one from ss's log for the same
// entry, so only the certificate's CA is foreign.
func relog(t *testing.T, ss *cosigntest.Sigstore, l cosigntest.Layer) cosigntest.Layer {
	t.Helper()
	l.Annotations[cosign.RekorBundleAnnotation] = string(ss.RekorBundleFor(t, l))
	return l
}

func flipSig(t *testing.T, sig string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 1
	return base64.StdEncoding.EncodeToString(b)
}

// A key given with --key does not verify a keyless layer, and the reason
// says both why the key did not and what keyless verification needs.
func TestCheckLegacyKeylessReasons(t *testing.T) {
	ss := cosigntest.NewSigstore(t)
	d := "sha256:" + strings.Repeat("a", 64)
	l := ss.LegacyLayer(t, cosigntest.Payload(t, "r", d), cosigntest.LegacyOptions{Identity: devID, Issuer: devIssuer})
	sig, err := base64.StdEncoding.DecodeString(l.Signature)
	if err != nil {
		t.Fatal(err)
	}
	e := cosign.Entry{Target: d, Payload: l.Payload, Signature: sig, Certificate: true,
		Keyless: cosign.LegacyKeyless{Certificate: []byte(l.Annotations[cosign.CertificateAnnotation]), RekorBundle: []byte(l.Annotations[cosign.RekorBundleAnnotation])}}
	s := cosign.CheckWith(e, cosign.Trust{Keys: []*cosign.PublicKey{pubKey(t, cosigntest.ECDSAKey(t))}})
	if s.Verified || !strings.Contains(s.Reason, "no given key verifies it") || !strings.Contains(s.Reason, "trusted root") {
		t.Errorf("CheckWith key only = %+v", s)
	}
	tr, err := cosign.LoadTrustedRoot(ss.TrustedRootFile(t))
	if err != nil {
		t.Fatal(err)
	}
	k := &cosign.Keyless{Root: tr, Identities: []cosign.Identity{{Subject: devID, Issuer: devIssuer}}}
	if signer, err := k.VerifyLegacy(e.Payload, e.Signature, e.Keyless); err != nil || signer != devID+" ("+devIssuer+")" {
		t.Errorf("VerifyLegacy = %q, %v", signer, err)
	}
	e.Keyless.RekorBundle = nil
	if _, err := k.VerifyLegacy(e.Payload, e.Signature, e.Keyless); !errors.Is(err, cosign.ErrNoTrustedTime) {
		t.Errorf("VerifyLegacy without a Rekor bundle = %v, want ErrNoTrustedTime", err)
	}
}

// FuzzLegacyKeyless feeds hostile Rekor bundle and certificate annotations
// through the parsers and VerifyLegacy: no panics, and a signer exactly when
// there is no error.
func FuzzLegacyKeyless(f *testing.F) {
	ss := cosigntest.NewSigstore(f)
	tr, err := cosign.LoadTrustedRoot(ss.TrustedRootFile(f))
	if err != nil {
		f.Fatal(err)
	}
	d := "sha256:" + strings.Repeat("a", 64)
	payload := cosigntest.Payload(f, "r", d)
	l := ss.LegacyLayer(f, payload, cosigntest.LegacyOptions{Identity: devID, Issuer: devIssuer})
	sig, err := base64.StdEncoding.DecodeString(l.Signature)
	if err != nil {
		f.Fatal(err)
	}
	cert := []byte(l.Annotations[cosign.CertificateAnnotation])
	f.Add([]byte(l.Annotations[cosign.RekorBundleAnnotation]), cert)
	f.Add([]byte(`{"SignedEntryTimestamp":"AA==","Payload":{"body":"e30=","integratedTime":1,"logIndex":0,"logID":"`+strings.Repeat("00", 32)+`"}}`), cert)
	f.Add([]byte(`{}`), []byte("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"))
	k := &cosign.Keyless{Root: tr, Identities: []cosign.Identity{{Subject: devID, Issuer: devIssuer}}}
	f.Fuzz(func(t *testing.T, rekorBundle, certPEM []byte) {
		if rb, err := cosign.ParseRekorBundle(rekorBundle); err == nil {
			if len(rb.LogID) != 32 || len(rb.Body) == 0 || len(rb.SignedEntryTimestamp) == 0 {
				t.Fatalf("ParseRekorBundle accepted %+v", rb)
			}
			if hr, err := cosign.ParseHashedRekord(rb.Body); err == nil {
				if c, err := cosign.ParseCertificatePEM(certPEM); err == nil {
					_ = hr.Check(payload, sig, c)
				}
			}
		}
		signer, err := k.VerifyLegacy(payload, sig, cosign.LegacyKeyless{Certificate: certPEM, RekorBundle: rekorBundle})
		if (err == nil) != (signer != "") {
			t.Fatalf("VerifyLegacy = %q, %v", signer, err)
		}
	})
}
