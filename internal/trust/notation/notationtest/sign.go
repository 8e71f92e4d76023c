package notationtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/signer"
	godigest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Envelope media types.
const (
	JWS  = "application/jose+json"
	COSE = "application/cose"
)

// signatureType is a Notation signature manifest's type.
const signatureType = "application/vnd.cncf.notary.signature"

// Form is how a signature manifest names its type.
type Form int

const (
	// ArtifactTypeForm sets the manifest's artifactType, with the OCI empty
	// config: Notation 1.1 and later.
	ArtifactTypeForm Form = iota
	// ConfigForm leaves artifactType out and gives the config blob the
	// signature type as its media type: the form notation 1.0 pushed.
	ConfigForm
)

// Target returns the descriptor of repo@digest as the registry serves it: the
// target a Notation signature names.
func Target(ctx context.Context, t testing.TB, repo, digest string, opts ...remote.Option) ocispec.Descriptor {
	t.Helper()
	r, err := name.NewRepository(repo)
	if err != nil {
		t.Fatal(err)
	}
	d, err := remote.Head(r.Digest(digest), append(opts, remote.WithContext(ctx))...)
	if err != nil {
		t.Fatalf("head %s@%s: %v", repo, digest, err)
	}
	return ocispec.Descriptor{MediaType: string(d.MediaType), Digest: godigest.Digest(d.Digest.String()), Size: d.Size}
}

// Envelope signs target with p's leaf key and chain through notation-go's
// local signer, in the envelope format mediaType (JWS or COSE).
func Envelope(ctx context.Context, t testing.TB, p *PKI, target ocispec.Descriptor, mediaType string) []byte {
	t.Helper()
	s, err := signer.NewGenericSigner(p.LeafKey, p.Chain())
	if err != nil {
		t.Fatal(err)
	}
	env, _, err := s.Sign(ctx, target, notation.SignerSignOptions{SignatureMediaType: mediaType})
	if err != nil {
		t.Fatalf("notation sign: %v", err)
	}
	return env
}

// Sign signs repo@digest with p as notation sign does and pushes the
// signature, returning the signature manifest's digest.
func Sign(ctx context.Context, t testing.TB, repo, digest string, p *PKI, mediaType string, form Form, opts ...remote.Option) string {
	t.Helper()
	target := Target(ctx, t, repo, digest, opts...)
	return Push(ctx, t, repo, target, Envelope(ctx, t, p, target, mediaType), mediaType, form, opts...)
}

// rawManifest is a manifest pushed verbatim.
type rawManifest struct {
	b  []byte
	mt types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.b, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

// Push pushes a signature envelope as a Notation signature manifest whose
// subject is target, in the given form, and returns the manifest's digest.
// On a registry without the referrers API go-containerregistry adds it to the
// sha256-<hex> referrers tag.
func Push(ctx context.Context, t testing.TB, repo string, target ocispec.Descriptor, envelope []byte, mediaType string, form Form, opts ...remote.Option) string {
	t.Helper()
	d, err := push(repo, target, envelope, mediaType, form, append(opts, remote.WithContext(ctx)))
	if err != nil {
		t.Fatalf("push notation signature: %v", err)
	}
	return d
}

func push(repo string, target ocispec.Descriptor, envelope []byte, mediaType string, form Form, opts []remote.Option) (string, error) {
	r, err := name.NewRepository(repo)
	if err != nil {
		return "", err
	}
	cfgType := "application/vnd.oci.empty.v1+json"
	if form == ConfigForm {
		cfgType = signatureType
	}
	cfg, sig := static.NewLayer([]byte("{}"), types.MediaType(cfgType)), static.NewLayer(envelope, types.MediaType(mediaType))
	for _, l := range []v1.Layer{cfg, sig} {
		if err := remote.WriteLayer(r, l, opts...); err != nil {
			return "", err
		}
	}
	m := map[string]any{
		"schemaVersion": 2, "mediaType": types.OCIManifestSchema1,
		"config": desc(cfg), "layers": []any{desc(sig)},
		"subject": map[string]any{"mediaType": target.MediaType, "digest": target.Digest.String(), "size": target.Size},
	}
	if form == ArtifactTypeForm {
		m["artifactType"] = signatureType
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	if err := remote.Put(r.Digest(digest), rawManifest{b, types.OCIManifestSchema1}, opts...); err != nil {
		return "", fmt.Errorf("push signature manifest: %w", err)
	}
	return digest, nil
}

func desc(l v1.Layer) map[string]any {
	d, _ := l.Digest()
	sz, _ := l.Size()
	mt, _ := l.MediaType()
	return map[string]any{"mediaType": mt, "digest": d.String(), "size": sz}
}
