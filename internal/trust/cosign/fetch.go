package cosign

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/trust"
)

// SignatureTag is the tag cosign stores the signatures of digest under:
// "sha256:<hex>" becomes "sha256-<hex>.sig".
func SignatureTag(digest string) string {
	return strings.Replace(digest, ":", "-", 1) + ".sig"
}

// Entry is one signature layer found in a signature manifest, not yet verified.
type Entry struct {
	Target      string // the image digest whose .sig tag held it
	Tag         string
	Layer       string // the payload blob's digest
	Payload     []byte
	Signature   []byte // decoded from the layer annotation; nil when absent or not base64
	Certificate bool   // the layer carries a keyless certificate
	Problem     string // what is wrong with the layer itself, when something is
	// Keyless is the keyless material of a legacy signature layer, from its
	// annotations: the PEM certificate and chain, the Rekor bundle.
	Keyless LegacyKeyless
}

// Fetch returns the signature entries stored under digest's .sig tag in repo;
// none when the tag does not exist.
func Fetch(ctx context.Context, repo name.Repository, digest string, opts []remote.Option) ([]Entry, error) {
	return FetchFrom(ctx, trust.Registry{Repo: repo, Opts: opts}, digest)
}

// FetchFrom returns the signature entries of the manifest tagged with
// digest's .sig tag in store; none when there is no such tag.
func FetchFrom(ctx context.Context, store trust.Store, digest string) ([]Entry, error) {
	tag := SignatureTag(digest)
	m, err := store.Tagged(ctx, tag)
	if err != nil {
		return nil, fmt.Errorf("fetch signatures %s:%s: %w", store.Name(), tag, err)
	}
	if m == nil {
		return nil, nil
	}
	var out []Entry
	for _, d := range m.Layers {
		if string(d.MediaType) != SimpleSigningMediaType {
			continue
		}
		e := Entry{Target: digest, Tag: tag, Layer: d.Digest.String()}
		_, e.Certificate = d.Annotations[CertificateAnnotation]
		e.Keyless = LegacyKeyless{
			Certificate: []byte(d.Annotations[CertificateAnnotation]),
			Chain:       []byte(d.Annotations[ChainAnnotation]),
			RekorBundle: []byte(d.Annotations[RekorBundleAnnotation]),
			Timestamp:   d.Annotations[TimestampAnnotation] != "",
		}
		if e.Payload, err = m.ReadBlob(d, maxPayload); err != nil {
			return nil, fmt.Errorf("fetch signatures %s:%s: payload: %w", store.Name(), tag, err)
		}
		sig, ok := d.Annotations[SignatureAnnotation]
		switch b, err := base64.StdEncoding.DecodeString(sig); {
		case !ok || sig == "":
			e.Problem = "no signature annotation"
		case err != nil:
			e.Problem = "signature annotation is not base64"
		default:
			e.Signature = b
		}
		out = append(out, e)
	}
	return out, nil
}

// Repository is the repository an image was read from, where its signatures
// are looked up; an error for images not read from a registry.
func Repository(im *image.Image, insecure []string) (name.Repository, error) {
	if im.Source != "registry" || len(im.RepoDigests) == 0 {
		return name.Repository{}, fmt.Errorf("%s: signatures are looked up in a registry; this image was read from %s", im.Reference, im.Source)
	}
	ref, err := name.NewDigest(im.RepoDigests[0])
	if err != nil {
		return name.Repository{}, fmt.Errorf("%s: %w", im.Reference, err)
	}
	if slices.Contains(insecure, ref.Context().RegistryStr()) {
		if ref, err = name.NewDigest(im.RepoDigests[0], name.Insecure); err != nil {
			return name.Repository{}, fmt.Errorf("%s: %w", im.Reference, err)
		}
	}
	return ref.Context(), nil
}
