package cosign

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// emptyArtifact is the artifactType some registries (and go-containerregistry's
// referrers-tag fallback) report for an artifact whose config is the OCI empty
// descriptor, instead of the manifest's own artifactType.
const emptyArtifact = "application/vnd.oci.empty.v1+json"

// NotationArtifact is the artifact type of a Notation signature manifest.
const NotationArtifact = "application/vnd.cncf.notary.signature"

// FetchBundles returns the sigstore bundles attached to digest as OCI
// referrers (and, as entries of KindNotation, the Notation signatures, which
// are not verified yet): through the referrers API, or the sha256-<hex> referrers tag when
// the registry has none. A referrer counts when its manifest's artifactType or
// (the older form) config media type is a bundle type and its subject is
// digest; its bundle layers are read, bounded and checked against their digests.
func FetchBundles(ctx context.Context, repo name.Repository, digest string, opts []remote.Option) ([]Entry, error) {
	opts = append(slices.Clone(opts), remote.WithContext(ctx))
	idx, err := remote.Referrers(repo.Digest(digest), opts...)
	if err != nil {
		return nil, fmt.Errorf("referrers of %s@%s: %w", repo, digest, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("referrers of %s@%s: %w", repo, digest, err)
	}
	var out []Entry
	for _, d := range im.Manifests {
		if at := d.ArtifactType; at != "" && at != emptyArtifact && at != NotationArtifact && !isBundleType(at) {
			continue // an SBOM, an attestation of another kind…
		}
		entries, err := bundleEntries(repo, digest, d, opts)
		if err != nil {
			return nil, fmt.Errorf("referrer %s of %s@%s: %w", d.Digest, repo, digest, err)
		}
		out = append(out, entries...)
	}
	return out, nil
}

// bundleEntries reads the bundle layers of one referrer manifest.
func bundleEntries(repo name.Repository, digest string, d v1.Descriptor, opts []remote.Option) ([]Entry, error) {
	img, err := remote.Image(repo.Digest(d.Digest.String()), opts...)
	if err != nil {
		return nil, err
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, err
	}
	tag := "referrer " + d.Digest.String()
	if m.ArtifactType == NotationArtifact || string(m.Config.MediaType) == NotationArtifact {
		return []Entry{{Kind: KindNotation, Target: digest, Tag: tag}}, nil
	}
	if !isBundleType(m.ArtifactType) && !isBundleType(string(m.Config.MediaType)) {
		return nil, nil
	}
	if m.Subject == nil || m.Subject.Digest.String() != digest {
		return []Entry{{Target: digest, Tag: tag, Problem: "the referrer's subject is not the image"}}, nil
	}
	var out []Entry
	for _, l := range m.Layers {
		if !isBundleType(string(l.MediaType)) {
			continue
		}
		b, err := readBlob(img, l, maxBundle)
		if err != nil {
			return nil, err
		}
		out = append(out, Entry{Target: digest, Tag: tag, Layer: l.Digest.String(), Payload: b})
	}
	return out, nil
}

// readBlob reads a small blob of img, bounded, checking its digest.
func readBlob(img v1.Image, d v1.Descriptor, limit int64) ([]byte, error) {
	if d.Size > limit {
		return nil, fmt.Errorf("blob %s: %d bytes is more than %d", d.Digest, d.Size, limit)
	}
	l, err := img.LayerByDigest(d.Digest)
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", d.Digest, err)
	}
	rc, err := l.Compressed()
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
	if got := digestOf(b); got != d.Digest.String() {
		return nil, fmt.Errorf("blob %s does not match its digest (%s)", d.Digest, got)
	}
	return b, nil
}
