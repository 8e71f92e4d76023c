package cosign

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
)

// Annotations of a keyless legacy signature layer, beside
// CertificateAnnotation: what `cosign sign` (v2, without
// --new-bundle-format) writes when it signs with a Fulcio certificate.
const (
	// ChainAnnotation holds the PEM chain from the certificate to Fulcio's
	// root. It is not trusted: the chain comes from the trusted root.
	ChainAnnotation = "dev.sigstore.cosign/chain"
	// RekorBundleAnnotation holds the Rekor bundle: the log's signed entry
	// timestamp over the entry it made of the signature.
	RekorBundleAnnotation = "dev.sigstore.cosign/bundle"
	// TimestampAnnotation holds an RFC 3161 signed timestamp over the
	// signature (cosign sign --timestamp-server-url).
	TimestampAnnotation = "dev.sigstore.cosign/rfc3161timestamp"
)

// maxAnnotation bounds a certificate or Rekor bundle annotation.
const maxAnnotation = 64 << 10

// LegacyKeyless is the keyless material of a legacy signature layer, read
// from its annotations.
type LegacyKeyless struct {
	Certificate []byte // PEM: the Fulcio leaf certificate
	Chain       []byte // PEM: the chain cosign stored (informational)
	RekorBundle []byte // JSON: the Rekor bundle; empty when absent
	Timestamp   bool   // an RFC 3161 timestamp annotation is present (not read)
}

// ErrRekorBundle reports a Rekor bundle annotation that does not parse.
var ErrRekorBundle = errors.New("invalid rekor bundle")

// RekorBundle is a transparency-log entry's proof as cosign stores it in a
// legacy signature: Rekor's signed entry timestamp (SET) over the entry's
// canonicalized body, integrated time, log index and log ID.
type RekorBundle struct {
	SignedEntryTimestamp []byte
	Body                 []byte // the canonicalized entry, base64-decoded
	IntegratedTime       int64  // Unix seconds
	LogIndex             int64
	LogID                []byte // SHA-256 of the log's public key
}

// ParseRekorBundle decodes the Rekor bundle annotation:
// {"SignedEntryTimestamp": base64, "Payload": {"body": base64,
// "integratedTime": n, "logIndex": n, "logID": hex}}.
func ParseRekorBundle(b []byte) (*RekorBundle, error) {
	if len(b) > maxAnnotation {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrRekorBundle, maxAnnotation)
	}
	var raw struct {
		SignedEntryTimestamp string `json:"SignedEntryTimestamp"`
		Payload              *struct {
			Body           string `json:"body"`
			IntegratedTime int64  `json:"integratedTime"`
			LogIndex       int64  `json:"logIndex"`
			LogID          string `json:"logID"`
		} `json:"Payload"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRekorBundle, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrRekorBundle)
	}
	p := raw.Payload
	if p == nil {
		return nil, fmt.Errorf("%w: no Payload", ErrRekorBundle)
	}
	rb := &RekorBundle{IntegratedTime: p.IntegratedTime, LogIndex: p.LogIndex}
	var err error
	if rb.SignedEntryTimestamp, err = base64.StdEncoding.DecodeString(raw.SignedEntryTimestamp); err != nil || len(rb.SignedEntryTimestamp) == 0 {
		return nil, fmt.Errorf("%w: SignedEntryTimestamp is empty or not base64", ErrRekorBundle)
	}
	if rb.Body, err = base64.StdEncoding.DecodeString(p.Body); err != nil || len(rb.Body) == 0 {
		return nil, fmt.Errorf("%w: body is empty or not base64", ErrRekorBundle)
	}
	if rb.LogID, err = hex.DecodeString(p.LogID); err != nil || len(rb.LogID) != sha256.Size {
		return nil, fmt.Errorf("%w: logID %q is not a hex SHA-256", ErrRekorBundle, p.LogID)
	}
	if p.IntegratedTime <= 0 || p.LogIndex < 0 {
		return nil, fmt.Errorf("%w: integratedTime %d or logIndex %d out of range", ErrRekorBundle, p.IntegratedTime, p.LogIndex)
	}
	return rb, nil
}

// ParseCertificatePEM decodes the certificate annotation: exactly one PEM
// CERTIFICATE block.
func ParseCertificatePEM(b []byte) (*x509.Certificate, error) {
	if len(b) > maxAnnotation {
		return nil, fmt.Errorf("certificate annotation: larger than %d bytes", maxAnnotation)
	}
	block, rest := pem.Decode(b)
	switch {
	case block == nil:
		return nil, errors.New("certificate annotation: no PEM block")
	case block.Type != "CERTIFICATE":
		return nil, fmt.Errorf("certificate annotation: PEM block %q, want CERTIFICATE", block.Type)
	case len(bytes.TrimSpace(rest)) != 0:
		return nil, errors.New("certificate annotation: more than one PEM block")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certificate annotation: %w", err)
	}
	return c, nil
}

// HashedRekord is the part of a Rekor hashedrekord v0.0.1 entry that ties
// it to one signature: the signed artifact's hash, the signature, and the
// certificate (or key) that verifies it.
type HashedRekord struct {
	HashAlgorithm string
	Hash          string // hex
	Signature     []byte
	PublicKey     []byte // PEM: a certificate or public key
}

// ParseHashedRekord decodes a canonicalized Rekor entry body, which must be
// a hashedrekord v0.0.1 entry.
func ParseHashedRekord(body []byte) (*HashedRekord, error) {
	var e struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Spec       struct {
			Data struct {
				Hash struct {
					Algorithm string `json:"algorithm"`
					Value     string `json:"value"`
				} `json:"hash"`
			} `json:"data"`
			Signature struct {
				Content   string `json:"content"`
				PublicKey struct {
					Content string `json:"content"`
				} `json:"publicKey"`
			} `json:"signature"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("%w: entry body: %v", ErrRekorBundle, err)
	}
	if e.Kind != "hashedrekord" || e.APIVersion != "0.0.1" {
		return nil, fmt.Errorf("%w: entry is %s %s, want hashedrekord 0.0.1", ErrRekorBundle, e.Kind, e.APIVersion)
	}
	h := &HashedRekord{HashAlgorithm: e.Spec.Data.Hash.Algorithm, Hash: e.Spec.Data.Hash.Value}
	var err error
	if h.Signature, err = base64.StdEncoding.DecodeString(e.Spec.Signature.Content); err != nil {
		return nil, fmt.Errorf("%w: entry signature is not base64", ErrRekorBundle)
	}
	if h.PublicKey, err = base64.StdEncoding.DecodeString(e.Spec.Signature.PublicKey.Content); err != nil {
		return nil, fmt.Errorf("%w: entry public key is not base64", ErrRekorBundle)
	}
	return h, nil
}

// Check reports why the entry does not record this signature of payload by
// leaf; nil when it does. sigstore-go compares the signature and key of a
// log entry with the bundle's but not the artifact's hash, so this is where
// a log entry for another payload is refused.
func (h *HashedRekord) Check(payload, sig []byte, leaf *x509.Certificate) error {
	sum := sha256.Sum256(payload)
	if h.HashAlgorithm != "sha256" || h.Hash != hex.EncodeToString(sum[:]) {
		return fmt.Errorf("the log entry records %s:%s, not the payload's sha256:%x", h.HashAlgorithm, h.Hash, sum)
	}
	if !bytes.Equal(h.Signature, sig) {
		return errors.New("the log entry records another signature")
	}
	block, _ := pem.Decode(h.PublicKey)
	if block == nil {
		return errors.New("the log entry's public key is not PEM")
	}
	switch block.Type {
	case "CERTIFICATE":
		if !bytes.Equal(block.Bytes, leaf.Raw) {
			return errors.New("the log entry records another certificate")
		}
	case "PUBLIC KEY":
		if !bytes.Equal(block.Bytes, leaf.RawSubjectPublicKeyInfo) {
			return errors.New("the log entry records another key")
		}
	default:
		return fmt.Errorf("the log entry's public key is a PEM %q block", block.Type)
	}
	return nil
}
