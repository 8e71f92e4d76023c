package cosign

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// Kinds of signatures.
const (
	KindSimpleSigning = "simple-signing"  // the legacy .sig tag
	KindBundle        = "sigstore-bundle" // an OCI referrer holding a sigstore bundle
)

// Signature is one signature found for an image and what verifying it showed;
// the Signer of a cosign signature is the fingerprint of the key that verified
// it (KeySource: where that key was read from) or a keyless certificate's
// "subject (issuer)".
type Signature = trust.Signature

// Check verifies one entry with keys: the payload must parse, name the entry's
// target digest and the cosign signature type, and the signature must verify
// over it with one of the keys.
func Check(e Entry, keys []*PublicKey) Signature {
	return CheckWith(e, Trust{Keys: keys})
}

// CheckWith verifies one entry as Check does, and an entry carrying a
// keyless certificate with t.Keyless (VerifyLegacy) when no key verifies it.
func CheckWith(e Entry, t Trust) Signature {
	s := Signature{Kind: KindSimpleSigning, Target: e.Target, Tag: e.Tag, Layer: e.Layer}
	p, err := ParsePayload(e.Payload)
	if err != nil {
		s.Reason = err.Error()
		return s
	}
	s.DockerReference = p.Critical.Identity.DockerReference
	switch {
	case e.Problem != "":
		s.Reason = e.Problem
		return s
	case p.Check(e.Target) != nil:
		s.Reason = p.Check(e.Target).Error()
		return s
	}
	if len(t.Keys) > 0 {
		s.Reason = "no given key verifies it"
	} else if !e.Certificate {
		s.Reason = "no key given to verify with"
	}
	for _, k := range t.Keys {
		if err := k.Verify(e.Payload, e.Signature); err == nil {
			s.Verified, s.Signer, s.KeySource, s.Reason = true, k.Fingerprint, k.Source, ""
			return s
		} else if !errors.Is(err, ErrSignature) {
			s.Reason = err.Error()
		}
	}
	switch {
	case !e.Certificate:
	case t.Keyless == nil:
		s.Reason = joinReason(s.Reason, "keyless signature (certificate): give a trusted root and the accepted identities to verify it")
	default:
		signer, err := t.Keyless.VerifyLegacy(e.Payload, e.Signature, e.Keyless)
		if err != nil {
			s.Reason = joinReason(s.Reason, err.Error())
			return s
		}
		s.Verified, s.Signer, s.KeySource, s.Reason = true, signer, "keyless", ""
	}
	return s
}

func joinReason(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// Verify fetches and checks the signatures of every target digest (an image's
// manifest digest and, for an image picked from an index, the index digest:
// a valid signature on either counts) in repo: the legacy .sig tag's and the
// sigstore bundles among the digest's OCI referrers.
func Verify(ctx context.Context, repo name.Repository, targets []string, keys []*PublicKey, opts []remote.Option) ([]Signature, error) {
	return VerifyWith(ctx, repo, targets, Trust{Keys: keys}, opts)
}

// Trust is what signatures are verified against: public keys, and keyless
// signers under a trusted root.
type Trust struct {
	Keys    []*PublicKey
	Keyless *Keyless
}

// VerifyWith is Verify with keyless verification as well: of sigstore
// bundles and of legacy .sig layers carrying a Fulcio certificate.
func VerifyWith(ctx context.Context, repo name.Repository, targets []string, tr Trust, opts []remote.Option) ([]Signature, error) {
	return VerifyIn(ctx, trust.Registry{Repo: repo, Opts: opts}, targets, tr)
}

// VerifyIn is VerifyWith over any store of signatures: a registry
// repository, or an OCI layout holding the image with its signatures.
func VerifyIn(ctx context.Context, store trust.Store, targets []string, tr Trust) ([]Signature, error) {
	var out []Signature
	for _, t := range targets {
		if t == "" {
			continue
		}
		entries, err := FetchFrom(ctx, store, t)
		if err != nil {
			return nil, fmt.Errorf("verify %s@%s: %w", store.Name(), t, err)
		}
		for _, e := range entries {
			out = append(out, CheckWith(e, tr))
		}
		bundles, err := FetchBundlesFrom(ctx, store, t)
		if err != nil {
			return nil, fmt.Errorf("verify %s@%s: %w", store.Name(), t, err)
		}
		for _, e := range bundles {
			out = append(out, CheckBundleWith(e, tr))
		}
	}
	return out, nil
}

// Signers returns the fingerprints of the keys (or keyless identities) that
// verified some signature, each once, in order of first appearance; none when
// nothing verified.
func Signers(sigs []Signature) []string { return trust.Signers(sigs) }
