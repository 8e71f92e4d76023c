package cosign_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

func TestKeys(t *testing.T) {
	payload := cosigntest.Payload(t, "r/app", "sha256:"+strings.Repeat("a", 64))
	for _, tc := range []struct {
		name string
		key  crypto.Signer
	}{
		{"ecdsa p-256", cosigntest.ECDSAKey(t)},
		{"rsa 2048", cosigntest.RSAKey(t)},
		{"ed25519", cosigntest.Ed25519Key(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub, err := cosign.ParsePublicKey(cosigntest.PublicPEM(t, tc.key))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(pub.Fingerprint, "sha256:") || len(pub.Fingerprint) != 71 {
				t.Errorf("fingerprint %q", pub.Fingerprint)
			}
			sig, err := base64.StdEncoding.DecodeString(cosigntest.SignBytes(t, tc.key, payload))
			if err != nil {
				t.Fatal(err)
			}
			if err := pub.Verify(payload, sig); err != nil {
				t.Errorf("Verify of a good signature: %v", err)
			}
			tampered := append([]byte(nil), payload...)
			tampered[len(tampered)-3] ^= 1
			if err := pub.Verify(tampered, sig); !errors.Is(err, cosign.ErrSignature) {
				t.Errorf("Verify of a tampered payload = %v, want ErrSignature", err)
			}
			other, err := cosign.ParsePublicKey(cosigntest.PublicPEM(t, cosigntest.ECDSAKey(t)))
			if err != nil {
				t.Fatal(err)
			}
			if err := other.Verify(payload, sig); !errors.Is(err, cosign.ErrSignature) {
				t.Errorf("Verify with another key = %v, want ErrSignature", err)
			}
		})
	}
}

func TestParsePublicKeyRejects(t *testing.T) {
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pkix := func(k crypto.PublicKey) []byte {
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}
	good := cosigntest.PublicPEM(t, cosigntest.ECDSAKey(t))
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"not PEM", []byte("hello")},
		{"private key block", []byte(strings.Replace(string(good), "PUBLIC KEY", "EC PRIVATE KEY", 2))},
		{"garbage DER", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2, 3}})},
		{"P-224", pkix(&p224.PublicKey)},
		{"RSA 1024", pkix(&small.PublicKey)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := cosign.ParsePublicKey(tc.in); !errors.Is(err, cosign.ErrKey) {
				t.Errorf("ParsePublicKey = %v, want ErrKey", err)
			}
		})
	}
}

func TestSignatureTag(t *testing.T) {
	if got := cosign.SignatureTag("sha256:abc"); got != "sha256-abc.sig" {
		t.Errorf("SignatureTag = %q", got)
	}
}
