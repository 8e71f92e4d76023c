package cosign

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

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
	tag := SignatureTag(digest)
	img, err := remote.Image(repo.Tag(tag), append(slices.Clone(opts), remote.WithContext(ctx))...)
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) && te.StatusCode == http.StatusNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("fetch signatures %s:%s: %w", repo, tag, err)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("fetch signatures %s:%s: %w", repo, tag, err)
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
		if e.Payload, err = readPayload(img, d); err != nil {
			return nil, fmt.Errorf("fetch signatures %s:%s: %w", repo, tag, err)
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

// readPayload reads a simple-signing payload blob, bounded, checking its digest.
func readPayload(img v1.Image, d v1.Descriptor) ([]byte, error) {
	b, err := trust.ReadBlob(img, d, maxPayload)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	return b, nil
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
