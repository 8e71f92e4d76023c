package cosign

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// Identity constrains who may have signed keyless: the certificate's subject
// (SAN: an e-mail address, a URI) and the OIDC issuer that vouched for it,
// each exact or a regular expression (RE2); one of each form is required.
type Identity struct {
	Subject, SubjectRegexp string
	Issuer, IssuerRegexp   string
}

// Keyless verifies keyless (Fulcio certificate) sigstore bundles with
// sigstore-go: certificate chain, validity at an observed time, identity,
// transparency-log entries and signed timestamps as the trusted root allows.
type Keyless struct {
	// Root is the trusted material: Fulcio CAs, Rekor and CT log keys,
	// timestamp authorities, as a trusted_root.json holds them.
	Root root.TrustedMaterial
	// Identities are the accepted signers; a bundle must match one.
	Identities []Identity
	// RequireTlog requires a transparency-log entry (inclusion proof or
	// promise) from a trusted log. Either way the certificate must have been
	// valid at a time a trusted observer attests: the log's signed entry
	// timestamp or a timestamp authority's signed timestamp.
	RequireTlog bool
}

// LoadTrustedRoot reads a trusted_root.json.
func LoadTrustedRoot(path string) (*root.TrustedRoot, error) {
	tr, err := root.NewTrustedRootFromPath(path)
	if err != nil {
		return nil, fmt.Errorf("load trusted root %s: %w", path, err)
	}
	return tr, nil
}

// ErrKeyless reports a keyless bundle that does not verify.
var ErrKeyless = errors.New("keyless signature does not verify")

// Verify checks a keyless bundle for digest ("sha256:<hex>"): the certificate
// chains to a trusted Fulcio CA, was valid when a trusted observer (log or
// timestamp authority) saw the signature, names an accepted identity, and the
// signature is a cosign signature statement about digest. It returns the
// signer as "subject (issuer)".
func (k *Keyless) Verify(raw []byte, digest string) (string, error) {
	if k.Root == nil || len(k.Identities) == 0 {
		return "", fmt.Errorf("%w: no trusted root or no accepted identity given", ErrKeyless)
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(raw); err != nil {
		return "", fmt.Errorf("%w: bundle: %v", ErrKeyless, err)
	}
	alg, hexPart, _ := strings.Cut(digest, ":")
	sum, err := hex.DecodeString(hexPart)
	if err != nil || alg != "sha256" {
		return "", fmt.Errorf("%w: digest %q", ErrKeyless, digest)
	}
	art := verify.WithArtifactDigest("sha256", sum)
	res, err := k.verify(&b, art, k.RequireTlog)
	if err != nil && !k.RequireTlog && len(b.GetVerificationMaterial().GetTlogEntries()) > 0 {
		// No timestamp authority vouched for the time: a verified log
		// entry's integrated time may.
		if r, err2 := k.verify(&b, art, true); err2 == nil {
			res, err = r, nil
		}
	}
	if err != nil {
		return "", err
	}
	if res.Statement == nil || res.Statement.PredicateType != CosignPredicate {
		return "", fmt.Errorf("%w: not a cosign signature statement", ErrKeyless)
	}
	return signerOf(res)
}

// verify runs sigstore-go's verifier on a bundle with the trusted root and
// the accepted identities (any one of them): the certificate must have been
// valid at a trusted observer's time (a timestamp authority's or, when its
// entry verifies, the log's), and with requireTlog a trusted log's entry is
// required — sigstore-go reads a log entry's time only then.
func (k *Keyless) verify(b verify.SignedEntity, artifact verify.ArtifactPolicyOption, requireTlog bool) (*verify.VerificationResult, error) {
	opts := []verify.VerifierOption{verify.WithObserverTimestamps(1)}
	if requireTlog {
		opts = append(opts, verify.WithTransparencyLog(1))
	}
	v, err := verify.NewVerifier(k.Root, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyless, err)
	}
	var pols []verify.PolicyOption
	for _, id := range k.Identities {
		ci, err := verify.NewShortCertificateIdentity(id.Issuer, id.IssuerRegexp, id.Subject, id.SubjectRegexp)
		if err != nil {
			return nil, fmt.Errorf("%w: identity: %v", ErrKeyless, err)
		}
		pols = append(pols, verify.WithCertificateIdentity(ci))
	}
	res, err := v.Verify(b, verify.NewPolicy(artifact, pols...))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyless, err)
	}
	return res, nil
}

// signerOf is a verified keyless signature's signer, "subject (issuer)".
func signerOf(res *verify.VerificationResult) (string, error) {
	if res.Signature == nil || res.Signature.Certificate == nil {
		return "", fmt.Errorf("%w: no certificate in the verification result", ErrKeyless)
	}
	c := res.Signature.Certificate
	return fmt.Sprintf("%s (%s)", c.SubjectAlternativeName, c.Issuer), nil
}
