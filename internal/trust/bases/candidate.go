package bases

import (
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/plimsoll/plimsoll/internal/image"
)

// FromImage returns the Candidate a resolved image makes. A registry
// reference is normalised (registry and repository spelled out, the tag kept,
// "latest" when none was given), so two spellings of one base are one entry.
func FromImage(im *image.Image) Candidate {
	c := Candidate{
		Reference: im.Reference, Digest: im.ManifestDigest, IndexDigest: im.IndexDigest,
	}
	if im.Platform != nil {
		c.Platform = im.Platform.String()
	}
	for _, l := range im.Layers {
		c.DiffIDs = append(c.DiffIDs, l.DiffID)
	}
	if im.Source != "registry" {
		return c
	}
	ref, err := name.ParseReference(strings.TrimPrefix(im.Reference, "registry:"))
	if err != nil {
		return c
	}
	c.Repository = ref.Context().Name()
	switch r := ref.(type) {
	case name.Tag:
		c.Tag = r.TagStr()
		c.Reference = c.Repository + ":" + c.Tag
	case name.Digest:
		c.Reference = c.Repository + "@" + r.DigestStr()
	}
	return c
}
