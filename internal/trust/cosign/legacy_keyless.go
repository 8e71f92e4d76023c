package cosign

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// legacyBundleMediaType is the sigstore bundle version a legacy keyless
// signature is carried over to: v0.1 accepts a log entry with an inclusion
// promise (the SET) and no inclusion proof, which is what cosign stored.
const legacyBundleMediaType = "application/vnd.dev.sigstore.bundle+json;version=0.1"

// ErrNoTrustedTime reports a keyless legacy signature without a Rekor
// bundle: nothing a verifier trusts says when the short-lived certificate
// was used, so its validity cannot be established.
var ErrNoTrustedTime = errors.New("no trusted time")

// VerifyLegacy checks a keyless legacy signature (a .sig layer's signature
// over payload, with its certificate and Rekor bundle annotations) and
// returns the signer as "subject (issuer)". The pieces are carried over to a
// sigstore bundle v0.1 (a message signature over the payload, the
// certificate, the Rekor entry with its SET as inclusion promise) and
// verified by sigstore-go as keyless bundles are: the certificate chains to a
// trusted Fulcio CA and was valid at the entry's integrated time, whose SET
// must verify with a trusted Rekor key; it names an accepted identity; and
// its key verifies the signature over the payload. The Rekor entry must be a
// hashedrekord of the payload's SHA-256, this signature and certificate. The
// payload's own checks (digest, type) are the caller's.
//
// The Rekor bundle is the only trusted time a legacy signature carries that
// is read here, so it is required whatever RequireTlog says; RFC 3161
// timestamps on .sig layers are not read yet.
func (k *Keyless) VerifyLegacy(payload, sig []byte, m LegacyKeyless) (string, error) {
	if k.Root == nil || len(k.Identities) == 0 {
		return "", fmt.Errorf("%w: no trusted root or no accepted identity given", ErrKeyless)
	}
	if len(sig) == 0 {
		return "", fmt.Errorf("%w: no signature", ErrKeyless)
	}
	leaf, err := ParseCertificatePEM(m.Certificate)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrKeyless, err)
	}
	if len(m.RekorBundle) == 0 {
		why := "no Rekor bundle, so no transparency-log entry"
		if m.Timestamp {
			why += " (its RFC 3161 timestamp is not read yet)"
		}
		if k.RequireTlog {
			return "", fmt.Errorf("%w: %s, and one is required", ErrKeyless, why)
		}
		return "", fmt.Errorf("%w: %w: %s establishes when the short-lived certificate was used", ErrKeyless, ErrNoTrustedTime, why)
	}
	rb, err := ParseRekorBundle(m.RekorBundle)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrKeyless, err)
	}
	hr, err := ParseHashedRekord(rb.Body)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrKeyless, err)
	}
	if err := hr.Check(payload, sig, leaf); err != nil {
		return "", fmt.Errorf("%w: %v", ErrKeyless, err)
	}
	b, err := legacyBundle(payload, sig, leaf.Raw, rb)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrKeyless, err)
	}
	res, err := k.verify(b, verify.WithArtifact(bytes.NewReader(payload)), true)
	if err != nil {
		return "", k.explainLog(err, b)
	}
	return signerOf(res)
}

// legacyBundle carries a legacy keyless signature over to a sigstore bundle
// v0.1.
func legacyBundle(payload, sig, leafDER []byte, rb *RekorBundle) (*bundle.Bundle, error) {
	sum := sha256.Sum256(payload)
	pb := &protobundle.Bundle{
		MediaType: legacyBundleMediaType,
		VerificationMaterial: &protobundle.VerificationMaterial{
			Content: &protobundle.VerificationMaterial_X509CertificateChain{
				X509CertificateChain: &protocommon.X509CertificateChain{
					Certificates: []*protocommon.X509Certificate{{RawBytes: leafDER}},
				},
			},
			TlogEntries: []*protorekor.TransparencyLogEntry{{
				LogIndex:          rb.LogIndex,
				LogId:             &protocommon.LogId{KeyId: rb.LogID},
				KindVersion:       &protorekor.KindVersion{Kind: "hashedrekord", Version: "0.0.1"},
				IntegratedTime:    rb.IntegratedTime,
				InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: rb.SignedEntryTimestamp},
				CanonicalizedBody: rb.Body,
			}},
		},
		Content: &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: sum[:]},
			Signature:     sig,
		}},
	}
	b, err := bundle.NewBundle(pb)
	if err != nil {
		return nil, fmt.Errorf("rekor bundle: %w", err)
	}
	return b, nil
}

// explainLog adds to a verification failure why the log entry gave no
// trusted time, when that is the cause: sigstore-go passes over an entry
// whose log is unknown or whose SET does not verify, and then reports only
// that too few entries verified.
func (k *Keyless) explainLog(err error, b *bundle.Bundle) error {
	entries, lerr := b.TlogEntries()
	if lerr != nil || len(entries) != 1 {
		return err
	}
	id := hex.EncodeToString([]byte(entries[0].LogKeyID()))
	if _, ok := k.Root.RekorLogs()[id]; !ok {
		return fmt.Errorf("%w (the Rekor bundle's log %s is not in the trusted root)", err, id)
	}
	if serr := tlog.VerifySET(entries[0], k.Root.RekorLogs()); serr != nil {
		return fmt.Errorf("%w (the Rekor bundle's signed entry timestamp: %v)", err, serr)
	}
	return err
}
