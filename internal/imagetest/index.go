package imagetest

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Index returns a multi-platform index of images, each described with the
// platform its config names. The index is a Docker manifest list when every
// image has Docker media types, and an OCI image index otherwise.
func Index(images ...v1.Image) (v1.ImageIndex, error) {
	adds := make([]mutate.IndexAddendum, 0, len(images))
	docker := len(images) > 0
	for i, img := range images {
		cf, err := img.ConfigFile()
		if err != nil {
			return nil, fmt.Errorf("index: config of image %d: %w", i, err)
		}
		mt, err := img.MediaType()
		if err != nil {
			return nil, fmt.Errorf("index: media type of image %d: %w", i, err)
		}
		docker = docker && mt == types.DockerManifestSchema2
		adds = append(adds, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: cf.Platform()},
		})
	}
	idx := mutate.AppendManifests(empty.Index, adds...)
	if docker {
		idx = mutate.IndexMediaType(idx, types.DockerManifestList)
	}
	return idx, nil
}
