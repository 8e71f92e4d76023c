package trust

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// EmptyArtifact is the artifactType some registries (and go-containerregistry's
// referrers-tag fallback and in-process registry) report for an artifact whose
// config is the OCI empty descriptor, instead of the manifest's own
// artifactType.
const EmptyArtifact = "application/vnd.oci.empty.v1+json"

// maxManifest bounds a referrer manifest parsed by ParseArtifact.
const maxManifest = 4 << 20

// Artifact is a referrer's manifest: what kind of artifact it is, which
// manifest it refers to, and its layers.
type Artifact struct {
	// Type is the manifest's artifactType or, in the older form that has
	// none, its config media type.
	Type string
	// Subject is the digest of the manifest the artifact refers to; empty
	// when it names none.
	Subject     string
	Layers      []v1.Descriptor
	Annotations map[string]string
}

// ParseArtifact parses a referrer's manifest, an OCI image manifest.
func ParseArtifact(raw []byte) (*Artifact, error) {
	if len(raw) > maxManifest {
		return nil, fmt.Errorf("artifact manifest: %d bytes is more than %d", len(raw), maxManifest)
	}
	var m struct {
		SchemaVersion int64             `json:"schemaVersion"`
		MediaType     string            `json:"mediaType"`
		ArtifactType  string            `json:"artifactType"`
		Config        v1.Descriptor     `json:"config"`
		Layers        []v1.Descriptor   `json:"layers"`
		Subject       *v1.Descriptor    `json:"subject"`
		Annotations   map[string]string `json:"annotations"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("artifact manifest: %w", err)
	}
	switch {
	case m.SchemaVersion != 2:
		return nil, fmt.Errorf("artifact manifest: schemaVersion %d, want 2", m.SchemaVersion)
	case m.MediaType != "" && m.MediaType != string(types.OCIManifestSchema1):
		return nil, fmt.Errorf("artifact manifest: media type %q is not an OCI image manifest", m.MediaType)
	}
	a := &Artifact{Type: m.ArtifactType, Layers: m.Layers, Annotations: m.Annotations}
	if a.Type == "" {
		a.Type = string(m.Config.MediaType)
	}
	if m.Subject != nil {
		if m.Subject.Digest.Algorithm == "" || m.Subject.Digest.Hex == "" {
			return nil, errors.New("artifact manifest: subject without a digest")
		}
		a.Subject = m.Subject.Digest.String()
	}
	return a, nil
}

// Referrer is an artifact manifest read from a Store: attached to an image
// digest as a referrer, or found under a tag (a cosign .sig manifest).
type Referrer struct {
	Artifact
	// Digest is the artifact manifest's digest.
	Digest string
	blobs  func(d v1.Descriptor, limit int64) ([]byte, error)
}

// ReadBlob reads one of the referrer's blobs, bounded, checking its digest.
func (r *Referrer) ReadBlob(d v1.Descriptor, limit int64) ([]byte, error) {
	return r.blobs(d, limit)
}

// Referrers returns the artifacts attached to digest in repo whose type
// accept accepts: through the OCI 1.1 referrers API, or the sha256-<hex>
// referrers tag when the registry has none. A listed entry is read when its
// reported artifactType is accepted, missing or the empty config type (which
// some registries report instead of the real one); the manifest read decides.
// Both the artifactType form and the older config media type form count.
func Referrers(ctx context.Context, repo name.Repository, digest string, accept func(artifactType string) bool, opts []remote.Option) ([]*Referrer, error) {
	opts = append(slices.Clone(opts), remote.WithContext(ctx))
	idx, err := remote.Referrers(repo.Digest(digest), opts...)
	if err != nil {
		return nil, fmt.Errorf("referrers of %s@%s: %w", repo, digest, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("referrers of %s@%s: %w", repo, digest, err)
	}
	var out []*Referrer
	for _, d := range im.Manifests {
		if !Listed(d, accept) {
			continue
		}
		r, err := readReferrer(repo, d, opts)
		if err != nil {
			return nil, fmt.Errorf("referrer %s of %s@%s: %w", d.Digest, repo, digest, err)
		}
		if accept(r.Type) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Listed says whether a referrers list entry may be an accepted artifact and
// its manifest is worth reading.
func Listed(d v1.Descriptor, accept func(string) bool) bool {
	if d.MediaType.IsIndex() {
		return false
	}
	at := d.ArtifactType
	return at == "" || at == EmptyArtifact || accept(at)
}

func readReferrer(repo name.Repository, d v1.Descriptor, opts []remote.Option) (*Referrer, error) {
	img, err := remote.Image(repo.Digest(d.Digest.String()), opts...)
	if err != nil {
		return nil, err
	}
	raw, err := img.RawManifest()
	if err != nil {
		return nil, err
	}
	a, err := ParseArtifact(raw)
	if err != nil {
		return nil, err
	}
	return &Referrer{Artifact: *a, Digest: d.Digest.String(), blobs: imageBlobs(img)}, nil
}

func imageBlobs(img v1.Image) func(v1.Descriptor, int64) ([]byte, error) {
	return func(d v1.Descriptor, limit int64) ([]byte, error) { return ReadBlob(img, d, limit) }
}

// ReadBlob reads a small blob of img, bounded, checking its digest.
func ReadBlob(img v1.Image, d v1.Descriptor, limit int64) ([]byte, error) {
	return readChecked(d, limit, func() (io.ReadCloser, error) {
		l, err := img.LayerByDigest(d.Digest)
		if err != nil {
			return nil, err
		}
		return l.Compressed()
	})
}

// readChecked reads the blob d names through open, refusing one larger than
// limit or d's size, or whose sha256 is not d's digest.
func readChecked(d v1.Descriptor, limit int64, open func() (io.ReadCloser, error)) ([]byte, error) {
	if d.Size > limit {
		return nil, fmt.Errorf("blob %s: %d bytes is more than %d", d.Digest, d.Size, limit)
	}
	if d.Digest.Algorithm != "sha256" {
		return nil, fmt.Errorf("blob %s: digest algorithm %q is not sha256", d.Digest, d.Digest.Algorithm)
	}
	rc, err := open()
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", d.Digest, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", d.Digest, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("blob %s: more than %d bytes", d.Digest, limit)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != d.Digest.Hex {
		return nil, fmt.Errorf("blob %s does not match its digest (sha256:%s)", d.Digest, got)
	}
	return b, nil
}
