package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
)

// indexPlatforms lists the platforms (os/arch[/variant]) of a registry
// reference that names a multi-platform index; none for a single manifest or
// an image not in a registry. Entries without a platform, or with os
// "unknown" (attestations), are left out.
func indexPlatforms(ctx context.Context, ref string, o image.Options) ([]string, error) {
	s := registryRef(ref)
	if s == "" {
		return nil, nil
	}
	r, err := name.ParseReference(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	if slices.Contains(o.Insecure, r.Context().RegistryStr()) {
		if r, err = name.ParseReference(s, name.Insecure); err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
	}
	desc, err := remote.Get(r, image.RemoteOptions(ctx, o)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	if !desc.MediaType.IsIndex() {
		return nil, nil
	}
	idx, err := desc.ImageIndex()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	var out []string
	for _, d := range im.Manifests {
		if d.Platform == nil || d.Platform.OS == "unknown" || d.Platform.OS == "" {
			continue
		}
		if p := d.Platform.String(); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}
