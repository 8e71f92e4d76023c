package cosign

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// FetchBundles returns the sigstore bundles attached to digest as OCI
// referrers: through the referrers API, or the sha256-<hex> referrers tag when
// the registry has none (trust.Referrers finds them; Notation signatures are
// trust/notation's). A referrer counts when its manifest's artifactType or
// (the older form) config media type is a bundle type; one whose subject is
// not digest is reported as a problem. Its bundle layers are read, bounded
// and checked against their digests.
func FetchBundles(ctx context.Context, repo name.Repository, digest string, opts []remote.Option) ([]Entry, error) {
	return FetchBundlesFrom(ctx, trust.Registry{Repo: repo, Opts: opts}, digest)
}

// FetchBundlesFrom returns the sigstore bundles attached to digest in store,
// as FetchBundles does for a registry.
func FetchBundlesFrom(ctx context.Context, store trust.Store, digest string) ([]Entry, error) {
	refs, err := store.Referrers(ctx, digest, isBundleType)
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, r := range refs {
		tag := "referrer " + r.Digest
		if r.Subject != digest {
			out = append(out, Entry{Target: digest, Tag: tag, Problem: "the referrer's subject is not the image"})
			continue
		}
		for _, l := range r.Layers {
			if !isBundleType(string(l.MediaType)) {
				continue
			}
			b, err := r.ReadBlob(l, maxBundle)
			if err != nil {
				return nil, fmt.Errorf("referrer %s of %s@%s: %w", r.Digest, store.Name(), digest, err)
			}
			out = append(out, Entry{Target: digest, Tag: tag, Layer: l.Digest.String(), Payload: b})
		}
	}
	return out, nil
}
