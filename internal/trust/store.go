package trust

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Store is where the signatures of an image are discovered: the registry
// repository it was read from, or the OCI layout that holds it with its
// signatures. Only discovery differs between the two; verification is the
// same.
type Store interface {
	// Name names the store in reports: a repository, or "oci-dir:PATH".
	Name() string
	// Tagged returns the image manifest tagged tag (a cosign .sig tag); nil
	// and no error when no manifest has that tag.
	Tagged(ctx context.Context, tag string) (*Referrer, error)
	// Referrers returns the artifacts attached to digest whose type accept
	// accepts, as Referrers does for a registry.
	Referrers(ctx context.Context, digest string, accept func(artifactType string) bool) ([]*Referrer, error)
	// Descriptor returns the descriptor (media type and size) of the
	// manifest or index digest names.
	Descriptor(ctx context.Context, digest string) (v1.Descriptor, error)
}

// Registry is a Store over a registry repository.
type Registry struct {
	Repo name.Repository
	Opts []remote.Option
}

var _ Store = Registry{}

// Name is the repository's name.
func (r Registry) Name() string { return r.Repo.Name() }

func (r Registry) opts(ctx context.Context) []remote.Option {
	return append(slices.Clone(r.Opts), remote.WithContext(ctx))
}

// Tagged reads the manifest repo:tag; nil when the registry has no such tag.
func (r Registry) Tagged(ctx context.Context, tag string) (*Referrer, error) {
	img, err := remote.Image(r.Repo.Tag(tag), r.opts(ctx)...)
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) && te.StatusCode == http.StatusNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("%s:%s: %w", r.Repo, tag, err)
	}
	raw, err := img.RawManifest()
	if err != nil {
		return nil, fmt.Errorf("%s:%s: %w", r.Repo, tag, err)
	}
	a, err := parseTagged(raw)
	if err != nil {
		return nil, fmt.Errorf("%s:%s: %w", r.Repo, tag, err)
	}
	return &Referrer{Artifact: *a, Digest: digestOf(raw), blobs: imageBlobs(img)}, nil
}

// Referrers lists digest's referrers through the referrers API or tag.
func (r Registry) Referrers(ctx context.Context, digest string, accept func(string) bool) ([]*Referrer, error) {
	return Referrers(ctx, r.Repo, digest, accept, r.Opts)
}

// Descriptor asks the registry for digest's descriptor (a HEAD request).
func (r Registry) Descriptor(ctx context.Context, digest string) (v1.Descriptor, error) {
	d, err := remote.Head(r.Repo.Digest(digest), r.opts(ctx)...)
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("descriptor of %s@%s: %w", r.Repo, digest, err)
	}
	if d.Digest.String() != digest {
		return v1.Descriptor{}, fmt.Errorf("descriptor of %s@%s: the registry answered digest %s", r.Repo, digest, d.Digest)
	}
	return *d, nil
}

// parseTagged parses a manifest found under a tag: an OCI or Docker image
// manifest (cosign's .sig manifests are either, depending on who copied
// them), bounded.
func parseTagged(raw []byte) (*Artifact, error) {
	if len(raw) > maxManifest {
		return nil, fmt.Errorf("manifest: %d bytes is more than %d", len(raw), maxManifest)
	}
	var probe struct {
		MediaType types.MediaType `json:"mediaType"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if probe.MediaType == types.DockerManifestSchema2 {
		raw = relabel(raw)
	}
	return ParseArtifact(raw)
}

// relabel parses a Docker schema 2 manifest as the OCI manifest it is laid
// out as: the same fields under another media type.
func relabel(raw []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return raw
	}
	m["mediaType"] = json.RawMessage(`"` + string(types.OCIManifestSchema1) + `"`)
	b, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return b
}
