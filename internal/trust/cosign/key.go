package cosign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"os"
)

// ErrKey reports a public key plimsoll cannot use.
var ErrKey = errors.New("unusable public key")

// ErrSignature reports a signature that does not verify with a key.
var ErrSignature = errors.New("signature does not verify")

// PublicKey is a verification key with its fingerprint, the sha256 of its
// DER-encoded SubjectPublicKeyInfo ("sha256:<hex>"), which names the signer.
type PublicKey struct {
	Key         crypto.PublicKey
	Fingerprint string
	// Source is where the key was read from (a file name), for reports.
	Source string
}

// ParsePublicKey reads a PEM "PUBLIC KEY" (PKIX) block holding an ECDSA
// (P-256, P-384, P-521), RSA (2048 bits or more) or ed25519 key, as
// `cosign generate-key-pair` writes cosign.pub.
func ParsePublicKey(pemBytes []byte) (*PublicKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrKey)
	}
	if block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("%w: PEM block %q, want PUBLIC KEY", ErrKey, block.Type)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if _, err := curveHash(k.Curve); err != nil {
			return nil, err
		}
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("%w: RSA key of %d bits (want 2048 or more)", ErrKey, k.N.BitLen())
		}
	case ed25519.PublicKey:
	default:
		return nil, fmt.Errorf("%w: %T keys are not supported", ErrKey, key)
	}
	sum := sha256.Sum256(block.Bytes)
	return &PublicKey{Key: key, Fingerprint: "sha256:" + hex.EncodeToString(sum[:])}, nil
}

// LoadPublicKey reads a public key file.
func LoadPublicKey(path string) (*PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load public key: %w", err)
	}
	k, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("load public key %s: %w", path, err)
	}
	k.Source = path
	return k, nil
}

// curveHash is the digest cosign (sigstore) pairs with each ECDSA curve.
func curveHash(c elliptic.Curve) (func() hash.Hash, error) {
	switch c {
	case elliptic.P256():
		return sha256.New, nil
	case elliptic.P384():
		return sha512.New384, nil
	case elliptic.P521():
		return sha512.New, nil
	}
	return nil, fmt.Errorf("%w: ECDSA curve %s is not supported", ErrKey, c.Params().Name)
}

// Verify checks sig over payload: ECDSA ASN.1 over the curve's digest, RSA
// PKCS#1 v1.5 over SHA-256, or ed25519 over the payload itself.
func (k *PublicKey) Verify(payload, sig []byte) error {
	switch pub := k.Key.(type) {
	case *ecdsa.PublicKey:
		newHash, err := curveHash(pub.Curve)
		if err != nil {
			return err
		}
		h := newHash()
		h.Write(payload)
		if !ecdsa.VerifyASN1(pub, h.Sum(nil), sig) {
			return ErrSignature
		}
	case *rsa.PublicKey:
		sum := sha256.Sum256(payload)
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
			return ErrSignature
		}
	case ed25519.PublicKey:
		if !ed25519.Verify(pub, payload, sig) {
			return ErrSignature
		}
	default:
		return fmt.Errorf("%w: %T", ErrKey, k.Key)
	}
	return nil
}
