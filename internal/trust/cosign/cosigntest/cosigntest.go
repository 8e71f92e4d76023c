// Package cosigntest signs images in tests the way `cosign sign --key` does:
// a simple-signing payload naming the image digest, signed with a Go key, pushed
// as a layer of the sha256-<hex>.sig manifest with the signature in the layer
// annotation. It also makes keys and their PEM public keys, sigstore bundles
// (key-signed and keyless), and keyless legacy signatures with an offline
// Fulcio-like CA and Rekor-like log key (Sigstore).
package cosigntest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
)

// ECDSAKey returns a new P-256 key, cosign's default.
func ECDSAKey(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// RSAKey returns a new 2048-bit RSA key.
func RSAKey(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Ed25519Key returns a new ed25519 key.
func Ed25519Key(t testing.TB) crypto.Signer {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// PublicPEM returns the signer's public key as a PEM PUBLIC KEY block, as in cosign.pub.
func PublicPEM(t testing.TB, k crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// Payload returns the simple-signing payload cosign writes for dockerRef at digest.
func Payload(t testing.TB, dockerRef, digest string) []byte {
	t.Helper()
	var p cosign.Payload
	p.Critical.Identity.DockerReference = dockerRef
	p.Critical.Image.DockerManifestDigest = digest
	p.Critical.Type = cosign.SignatureType
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SignBytes signs payload as cosign does for the key's type and returns the
// base64 signature: ECDSA and RSA (PKCS#1 v1.5) over SHA-256, ed25519 over
// the payload.
func SignBytes(t testing.TB, k crypto.Signer, payload []byte) string {
	t.Helper()
	var (
		sig []byte
		err error
	)
	if _, ok := k.(ed25519.PrivateKey); ok {
		sig, err = k.Sign(rand.Reader, payload, crypto.Hash(0))
	} else {
		sum := sha256.Sum256(payload)
		sig, err = k.Sign(rand.Reader, sum[:], crypto.SHA256)
	}
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// Layer is one signature layer of a .sig manifest.
type Layer struct {
	Payload   []byte
	Signature string // base64, as in the annotation
	// Annotations are the layer's other annotations (a keyless
	// signature's certificate, chain and Rekor bundle).
	Annotations map[string]string
}

// Sign signs repo@digest with k and pushes the signature, adding to the
// signatures already under the tag, as cosign does.
func Sign(ctx context.Context, t testing.TB, repo, digest string, k crypto.Signer, opts ...remote.Option) {
	t.Helper()
	p := Payload(t, repo, digest)
	Push(ctx, t, repo, digest, []Layer{{Payload: p, Signature: SignBytes(t, k, p)}}, opts...)
}

// Push appends layers to the .sig manifest of repo@digest (creating it).
func Push(ctx context.Context, t testing.TB, repo, digest string, layers []Layer, opts ...remote.Option) {
	t.Helper()
	if err := push(ctx, repo, digest, layers, opts); err != nil {
		t.Fatal(err)
	}
}

func push(ctx context.Context, repo, digest string, layers []Layer, opts []remote.Option) error {
	tag, err := name.NewTag(repo + ":" + cosign.SignatureTag(digest))
	if err != nil {
		return err
	}
	opts = append(opts, remote.WithContext(ctx))
	img, err := remote.Image(tag, opts...)
	if err != nil {
		img = mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	}
	for _, l := range layers {
		ann := map[string]string{cosign.SignatureAnnotation: l.Signature}
		for k, v := range l.Annotations {
			ann[k] = v
		}
		img, err = mutate.Append(img, mutate.Addendum{
			Layer:       static.NewLayer(l.Payload, types.MediaType(cosign.SimpleSigningMediaType)),
			Annotations: ann,
		})
		if err != nil {
			return fmt.Errorf("append signature: %w", err)
		}
	}
	if err := remote.Write(tag, img, opts...); err != nil {
		return fmt.Errorf("push signature %s: %w", tag, err)
	}
	return nil
}

// Tamper rewrites the first signature layer under repo@digest's .sig tag: its
// payload gains an optional field, its signature annotation stays, as an
// attacker editing a signed payload would leave it.
func Tamper(ctx context.Context, t testing.TB, repo, digest string, opts ...remote.Option) {
	t.Helper()
	if err := tamper(repo, digest, append(opts, remote.WithContext(ctx))); err != nil {
		t.Fatal(err)
	}
}

func tamper(repo, digest string, opts []remote.Option) error {
	tag, err := name.NewTag(repo+":"+cosign.SignatureTag(digest), name.Insecure)
	if err != nil {
		return err
	}
	sigImg, err := remote.Image(tag, opts...)
	if err != nil {
		return fmt.Errorf("tamper: %w", err)
	}
	m, err := sigImg.Manifest()
	if err != nil {
		return fmt.Errorf("tamper: %w", err)
	}
	if len(m.Layers) == 0 || string(m.Layers[0].MediaType) != cosign.SimpleSigningMediaType {
		return fmt.Errorf("tamper: %s holds no simple-signing layer", tag)
	}
	l, err := sigImg.LayerByDigest(m.Layers[0].Digest)
	if err != nil {
		return fmt.Errorf("tamper: %w", err)
	}
	rc, err := l.Compressed()
	if err != nil {
		return fmt.Errorf("tamper: %w", err)
	}
	var p map[string]any
	err = json.NewDecoder(rc).Decode(&p)
	rc.Close()
	if err != nil {
		return fmt.Errorf("tamper: %w", err)
	}
	p["optional"] = map[string]any{"tampered": true}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	tampered, err := mutate.Append(
		mutate.ConfigMediaType(mutate.MediaType(empty.Image, m.MediaType), m.Config.MediaType),
		mutate.Addendum{Layer: static.NewLayer(b, types.MediaType(cosign.SimpleSigningMediaType)), Annotations: m.Layers[0].Annotations})
	if err != nil {
		return fmt.Errorf("tamper: %w", err)
	}
	if err := remote.Write(tag, tampered, opts...); err != nil {
		return fmt.Errorf("tamper: %w", err)
	}
	return nil
}
