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
// and the image as its subject. When the registry does not acknowledge the
// subject (no referrers API), go-containerregistry's Put adds the manifest to
// the referrers tag sha256-<hex> itself — reporting the empty config type as
// its artifactType, as cosign's pushes through it do.
func PushBundle(ctx context.Context, t testing.TB, repo, digest string, bundle []byte, opts ...remote.Option) {
	t.Helper()
	PushReferrer(ctx, t, repo, digest, cosign.BundleMediaTypes[0], cosign.BundleMediaTypes[0], bundle, opts...)
}

// PushReferrer attaches an artifact of artifactType to repo@digest as
// PushBundle does, with one layer of layerType holding content.
func PushReferrer(ctx context.Context, t testing.TB, repo, digest, artifactType, layerType string, content []byte, opts ...remote.Option) {
	t.Helper()
	if err := pushReferrer(repo, digest, artifactType, layerType, content, append(opts, remote.WithContext(ctx))); err != nil {
		t.Fatal(err)
	}
}

func pushReferrer(repo, digest, artifactType, layerType string, content []byte, opts []remote.Option) error {
	r, err := name.NewRepository(repo)
	if err != nil {
		return err
	}
	emptyCfg := static.NewLayer([]byte("{}"), "application/vnd.oci.empty.v1+json")
	layer := static.NewLayer(content, types.MediaType(layerType))
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
		"schemaVersion": 2, "mediaType": types.OCIManifestSchema1, "artifactType": artifactType,
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
	return nil
}

// BlankReferrersTag rewrites the referrers tag sha256-<hex> of repo@digest so
// every entry's artifactType is the empty config type, as cosign v2's
// go-containerregistry writes it for artifacts with the empty config.
func BlankReferrersTag(ctx context.Context, t testing.TB, repo, digest string, opts ...remote.Option) {
	t.Helper()
	opts = append(opts, remote.WithContext(ctx))
	r, err := name.NewRepository(repo)
	if err != nil {
		t.Fatal(err)
	}
	tag := r.Tag(strings.Replace(digest, ":", "-", 1))
	idx, err := remote.Index(tag, opts...)
	if err != nil {
		t.Fatalf("referrers tag %s: %v", tag, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for i := range im.Manifests {
		im.Manifests[i].ArtifactType = "application/vnd.oci.empty.v1+json"
	}
	b, err := json.Marshal(im)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Put(tag, rawManifest{b, types.OCIImageIndex}, opts...); err != nil {
		t.Fatal(err)
	}
}
