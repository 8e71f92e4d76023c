package cosign

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sigstore bundle media types, as artifact types of OCI referrers and as the
// bundle layer's media type.
var BundleMediaTypes = []string{
	"application/vnd.dev.sigstore.bundle.v0.3+json",
	"application/vnd.dev.sigstore.bundle+json;version=0.3",
	"application/vnd.dev.sigstore.bundle+json;version=0.2",
}

// In-toto types of a cosign signature made in the bundle format.
const (
	InTotoPayloadType = "application/vnd.in-toto+json"
	CosignPredicate   = "https://sigstore.dev/cosign/sign/v1"
)

// maxBundle bounds a bundle blob read into memory.
const maxBundle = 4 << 20

// ErrBundle reports a bundle that is not a valid sigstore bundle.
var ErrBundle = errors.New("invalid sigstore bundle")

// Bundle is the part of a sigstore bundle plimsoll reads: the verification
// material's kind and the DSSE envelope (or the message signature).
type Bundle struct {
	MediaType            string `json:"mediaType"`
	VerificationMaterial struct {
		PublicKey            *json.RawMessage  `json:"publicKey,omitempty"`
		Certificate          *json.RawMessage  `json:"certificate,omitempty"`
		X509CertificateChain *json.RawMessage  `json:"x509CertificateChain,omitempty"`
		TlogEntries          []json.RawMessage `json:"tlogEntries,omitempty"`
	} `json:"verificationMaterial"`
	DSSEEnvelope *struct {
		Payload     string `json:"payload"`
		PayloadType string `json:"payloadType"`
		Signatures  []struct {
			Sig   string `json:"sig"`
			KeyID string `json:"keyid,omitempty"`
		} `json:"signatures"`
	} `json:"dsseEnvelope,omitempty"`
	MessageSignature *json.RawMessage `json:"messageSignature,omitempty"`
}

// ParseBundle decodes a sigstore bundle.
func ParseBundle(b []byte) (*Bundle, error) {
	if len(b) > maxBundle {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBundle, maxBundle)
	}
	var bu Bundle
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&bu); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundle, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the bundle", ErrBundle)
	}
	if !isBundleType(bu.MediaType) {
		return nil, fmt.Errorf("%w: media type %q", ErrBundle, bu.MediaType)
	}
	if (bu.DSSEEnvelope == nil) == (bu.MessageSignature == nil) {
		return nil, fmt.Errorf("%w: want exactly one of dsseEnvelope and messageSignature", ErrBundle)
	}
	return &bu, nil
}

func isBundleType(mt string) bool {
	for _, t := range BundleMediaTypes {
		if mt == t {
			return true
		}
	}
	return false
}

// Keyless reports whether the bundle is signed with a certificate (keyless)
// rather than a key.
func (b *Bundle) Keyless() bool {
	v := b.VerificationMaterial
	return v.Certificate != nil || v.X509CertificateChain != nil
}

// pae is DSSE's pre-authentication encoding, what a DSSE signature signs.
func pae(payloadType string, payload []byte) []byte {
	var buf bytes.Buffer
	buf.WriteString("DSSEv1 ")
	buf.WriteString(strconv.Itoa(len(payloadType)))
	buf.WriteByte(' ')
	buf.WriteString(payloadType)
	buf.WriteByte(' ')
	buf.WriteString(strconv.Itoa(len(payload)))
	buf.WriteByte(' ')
	buf.Write(payload)
	return buf.Bytes()
}

// PAE returns DSSE's pre-authentication encoding of a payload.
func PAE(payloadType string, payload []byte) []byte { return pae(payloadType, payload) }

// decodeB64 accepts standard base64 with or without padding, as protobuf JSON
// encoders differ.
func decodeB64(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// statement is the part of an in-toto statement a cosign signature needs.
type statement struct {
	Type    string `json:"_type"`
	Subject []struct {
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
	PredicateType string `json:"predicateType"`
}

// checkStatement reports why payload is not a cosign signature statement for
// digest ("sha256:<hex>"); nil when it is.
func checkStatement(payload []byte, digest string) error {
	var st statement
	if err := json.Unmarshal(payload, &st); err != nil {
		return fmt.Errorf("in-toto statement: %v", err)
	}
	if st.Type != "https://in-toto.io/Statement/v1" && st.Type != "https://in-toto.io/Statement/v0.1" {
		return fmt.Errorf("in-toto statement type %q", st.Type)
	}
	if st.PredicateType != CosignPredicate {
		return fmt.Errorf("predicate %q is an attestation, not a cosign signature (%s)", st.PredicateType, CosignPredicate)
	}
	alg, hexPart, _ := strings.Cut(digest, ":")
	for _, s := range st.Subject {
		if v, ok := s.Digest[alg]; ok && v == hexPart {
			return nil
		}
	}
	return fmt.Errorf("the statement's subjects do not include the image digest %s", digest)
}

// CheckBundle verifies one bundle found for target with keys: a DSSE
// envelope of an in-toto statement whose subject is target and whose
// predicate is a cosign signature, signed by one of the keys.
func CheckBundle(e Entry, keys []*PublicKey) Signature {
	return CheckBundleWith(e, Trust{Keys: keys})
}

// CheckBundleWith verifies one bundle: a key-signed one as CheckBundle does,
// a keyless one with t.Keyless (sigstore-go), when given.
func CheckBundleWith(e Entry, t Trust) Signature {
	keys := t.Keys
	s := Signature{Kind: KindBundle, Target: e.Target, Tag: e.Tag, Layer: e.Layer}
	if e.Problem != "" {
		s.Reason = e.Problem
		return s
	}
	b, err := ParseBundle(e.Payload)
	if err != nil {
		s.Reason = err.Error()
		return s
	}
	switch {
	case b.Keyless() && t.Keyless == nil:
		s.Reason = "keyless bundle (certificate): give a trusted root and the accepted identities to verify it"
		return s
	case b.Keyless():
		signer, err := t.Keyless.Verify(e.Payload, e.Target)
		if err != nil {
			s.Reason = err.Error()
			return s
		}
		s.Verified, s.Signer, s.KeySource = true, signer, "keyless"
		return s
	case b.DSSEEnvelope == nil:
		s.Reason = "message-signature bundle: only DSSE bundles (cosign image signatures) are verified"
		return s
	case b.DSSEEnvelope.PayloadType != InTotoPayloadType:
		s.Reason = fmt.Sprintf("DSSE payload type %q, want %s", b.DSSEEnvelope.PayloadType, InTotoPayloadType)
		return s
	}
	payload, err := decodeB64(b.DSSEEnvelope.Payload)
	if err != nil {
		s.Reason = "DSSE payload is not base64"
		return s
	}
	if err := checkStatement(payload, e.Target); err != nil {
		s.Reason = err.Error()
		return s
	}
	if len(keys) == 0 {
		s.Reason = "no key given to verify with"
		return s
	}
	msg := pae(b.DSSEEnvelope.PayloadType, payload)
	s.Reason = "no given key verifies it"
	for _, sig := range b.DSSEEnvelope.Signatures {
		raw, err := decodeB64(sig.Sig)
		if err != nil {
			continue
		}
		for _, k := range keys {
			if k.Verify(msg, raw) == nil {
				s.Verified, s.Signer, s.KeySource, s.Reason = true, k.Fingerprint, k.Source, ""
				return s
			}
		}
	}
	return s
}
