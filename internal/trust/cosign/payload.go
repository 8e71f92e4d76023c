// Package cosign verifies cosign image signatures in both of cosign's forms.
// The legacy form is the signature manifest tagged sha256-<hex>.sig beside the
// image, whose layers are simple-signing payloads with the signature in the
// layer annotation dev.cosignproject.cosign/signature. A signature counts when
// the payload names the image's digest and the cosign signature type and the
// signature verifies over the payload with a given public key (ECDSA, RSA
// PKCS#1 v1.5, ed25519; the standard library) or, for a layer carrying a
// Fulcio certificate and a Rekor bundle (keyless), with sigstore-go against a
// trusted root and accepted identities (VerifyLegacy). The bundle form is a
// sigstore bundle attached as an OCI referrer: key-signed DSSE bundles are
// verified with the standard library, keyless ones with sigstore-go.
package cosign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Media types and annotations of cosign's signature manifests.
const (
	SimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
	SignatureAnnotation    = "dev.cosignproject.cosign/signature"
	CertificateAnnotation  = "dev.sigstore.cosign/certificate"
	// SignatureType is the critical.type of a cosign image signature.
	SignatureType = "cosign container image signature"
)

// maxPayload bounds a payload blob read into memory; real payloads are a few
// hundred bytes.
const maxPayload = 1 << 20

// ErrPayload reports a payload that is not a valid cosign simple-signing payload.
var ErrPayload = errors.New("invalid simple-signing payload")

// Payload is a simple-signing payload as cosign writes it.
type Payload struct {
	Critical Critical       `json:"critical"`
	Optional map[string]any `json:"optional,omitempty"`
}

// Critical is the payload's critical section, which a verifier must understand
// whole.
type Critical struct {
	Identity struct {
		DockerReference string `json:"docker-reference"`
	} `json:"identity"`
	Image struct {
		DockerManifestDigest string `json:"docker-manifest-digest"`
	} `json:"image"`
	Type string `json:"type"`
}

// ParsePayload decodes a simple-signing payload. Unknown fields in the
// critical section are rejected, as the format requires; the optional section
// is free-form.
func ParsePayload(b []byte) (*Payload, error) {
	if len(b) > maxPayload {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrPayload, maxPayload)
	}
	var top struct {
		Critical json.RawMessage `json:"critical"`
		Optional map[string]any  `json:"optional"`
	}
	if err := strictDecode(b, &top); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPayload, err)
	}
	if len(top.Critical) == 0 || string(top.Critical) == "null" {
		return nil, fmt.Errorf("%w: no critical section", ErrPayload)
	}
	p := &Payload{Optional: top.Optional}
	if err := strictDecode(top.Critical, &p.Critical); err != nil {
		return nil, fmt.Errorf("%w: critical: %v", ErrPayload, err)
	}
	return p, nil
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

// Check reports why the payload does not sign digest as a cosign container
// image signature; nil when it does.
func (p *Payload) Check(digest string) error {
	if p.Critical.Type != SignatureType {
		return fmt.Errorf("payload type %q is not %q", p.Critical.Type, SignatureType)
	}
	got := p.Critical.Image.DockerManifestDigest
	if got == "" || got != digest {
		return fmt.Errorf("payload signs %q, not the image digest %s", got, digest)
	}
	return nil
}
