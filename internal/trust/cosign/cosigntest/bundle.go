package cosigntest

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
)

// Statement returns the in-toto statement cosign signs in the bundle format
// for digest, with the given predicate type.
func Statement(digest, predicateType string) []byte {
	alg, hexPart, _ := strings.Cut(digest, ":")
	return []byte(fmt.Sprintf(`{"_type":"https://in-toto.io/Statement/v1", "subject":[{"digest":{%q:%q}}], "predicateType":%q}`, alg, hexPart, predicateType))
}

// BundleJSON returns a key-signed sigstore bundle of a DSSE envelope over
// statement, signed with k as sigstore signs DSSE (over the PAE).
func BundleJSON(t testing.TB, k crypto.Signer, statement []byte) []byte {
	t.Helper()
	msg := cosign.PAE(cosign.InTotoPayloadType, statement)
	var (
		sig []byte
		err error
	)
	if _, ok := k.(ed25519.PrivateKey); ok {
		sig, err = k.Sign(rand.Reader, msg, crypto.Hash(0))
	} else {
		sum := sha256.Sum256(msg)
		sig, err = k.Sign(rand.Reader, sum[:], crypto.SHA256)
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{
		"mediaType":            cosign.BundleMediaTypes[0],
		"verificationMaterial": map[string]any{"publicKey": map[string]string{"hint": "test"}},
		"dsseEnvelope": map[string]any{
			"payload":     base64.StdEncoding.EncodeToString(statement),
			"payloadType": cosign.InTotoPayloadType,
			"signatures":  []map[string]string{{"sig": base64.StdEncoding.EncodeToString(sig)}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawManifest is a manifest pushed verbatim.
type rawManifest struct {
	b  []byte
	mt types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.b, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

// PushBundle attaches bundle to repo@digest as cosign does: an OCI manifest
// with the bundle's artifactType, the empty config, the bundle as its layer
// and the image as its subject. With fallback it also writes the referrers tag
// sha256-<hex> (an index replacing any before it), reporting the referrer's
// artifactType as the empty config type, as go-containerregistry's fallback
// does, for registries without the referrers API.
func PushBundle(ctx context.Context, t testing.TB, repo, digest string, bundle []byte, fallback bool, opts ...remote.Option) {
	t.Helper()
	if err := pushBundle(ctx, repo, digest, bundle, fallback, append(opts, remote.WithContext(ctx))); err != nil {
		t.Fatal(err)
	}
}

func pushBundle(ctx context.Context, repo, digest string, bundle []byte, fallback bool, opts []remote.Option) error {
	r, err := name.NewRepository(repo)
	if err != nil {
		return err
	}
	emptyCfg := static.NewLayer([]byte("{}"), "application/vnd.oci.empty.v1+json")
	layer := static.NewLayer(bundle, types.MediaType(cosign.BundleMediaTypes[0]))
	for _, l := range []v1.Layer{emptyCfg, layer} {
		if err := remote.WriteLayer(r, l, opts...); err != nil {
			return fmt.Errorf("push bundle blob: %w", err)
		}
	}
	desc := func(l v1.Layer) map[string]any {
		d, _ := l.Digest()
		sz, _ := l.Size()
		mt, _ := l.MediaType()
		return map[string]any{"mediaType": mt, "digest": d.String(), "size": sz}
	}
	subject, err := v1.NewHash(digest)
	if err != nil {
		return err
	}
	m, err := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": types.OCIManifestSchema1, "artifactType": cosign.BundleMediaTypes[0],
		"config": desc(emptyCfg), "layers": []any{desc(layer)},
		"subject": map[string]any{"mediaType": types.OCIManifestSchema1, "digest": subject.String(), "size": 1},
	})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(m)
	mDigest := fmt.Sprintf("sha256:%x", sum)
	if err := remote.Put(r.Digest(mDigest), rawManifest{m, types.OCIManifestSchema1}, opts...); err != nil {
		return fmt.Errorf("push bundle manifest: %w", err)
	}
	if !fallback {
		return nil
	}
	idx, err := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": types.OCIImageIndex,
		"manifests": []any{map[string]any{"mediaType": types.OCIManifestSchema1, "digest": mDigest, "size": len(m), "artifactType": "application/vnd.oci.empty.v1+json"}},
	})
	if err != nil {
		return err
	}
	tag := r.Tag(strings.Replace(digest, ":", "-", 1))
	if err := remote.Put(tag, rawManifest{idx, types.OCIImageIndex}, opts...); err != nil {
		return fmt.Errorf("push referrers tag: %w", err)
	}
	return nil
}
