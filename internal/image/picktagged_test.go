package image_test

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/image"
)

// TestPickTaggedSkipsSignatures: a layout holding one image and what is
// attached to it (cosign save's kind annotations, cosign's sha256-<hex>.sig
// tags, artifacts) opens without a tag; two images still need one.
func TestPickTaggedSkipsSignatures(t *testing.T) {
	d := func(hex, refName, kind, artifactType string) v1.Descriptor {
		desc := v1.Descriptor{Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat(hex, 64)}, ArtifactType: artifactType, Annotations: map[string]string{}}
		if refName != "" {
			desc.Annotations["org.opencontainers.image.ref.name"] = refName
		}
		if kind != "" {
			desc.Annotations["kind"] = kind
		}
		return desc
	}
	img := d("a", "", "dev.cosignproject.cosign/image", "")
	sigTag := "sha256-" + strings.Repeat("a", 64) + ".sig"
	for _, tc := range []struct {
		name    string
		entries []v1.Descriptor
		want    string // digest hex prefix, or "" for an error
	}{
		{"cosign save", []v1.Descriptor{d("b", "", "dev.cosignproject.cosign/sigs", ""), img, d("c", "", "dev.cosignproject.cosign/atts", "")}, "a"},
		{"sig tag", []v1.Descriptor{img, d("b", sigTag, "", "")}, "a"},
		{"sig tag as full reference", []v1.Descriptor{img, d("b", "example.com/app:"+sigTag, "", "")}, "a"},
		{"referrers tag and artifact", []v1.Descriptor{d("b", "sha256-"+strings.Repeat("a", 64), "", ""), d("c", "", "", "application/vnd.dev.sigstore.bundle.v0.3+json"), img}, "a"},
		{"image with its config type as artifactType (go-containerregistry's layouts)", []v1.Descriptor{d("a", "bench", "", "application/vnd.oci.image.config.v1+json")}, "a"},
		{"docker image with its config type as artifactType", []v1.Descriptor{d("a", "", "", "application/vnd.docker.container.image.v1+json"), d("b", sigTag, "", "")}, "a"},
		{"two images", []v1.Descriptor{img, d("b", "", "dev.cosignproject.cosign/image", "")}, ""},
		{"only signatures", []v1.Descriptor{d("b", sigTag, "", "")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := image.PickTagged(&v1.IndexManifest{Manifests: tc.entries}, "")
			if tc.want == "" {
				if err == nil {
					t.Fatalf("picked %s, want an error", got.Digest)
				}
				return
			}
			if err != nil || !strings.HasPrefix(got.Digest.Hex, tc.want) {
				t.Fatalf("picked %s (%v), want the image %s…", got.Digest, err, tc.want)
			}
		})
	}
}
