package imagetest

import (
	"encoding/json"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// writeOCIManifest writes the OCI manifest Docker 25+ stores for an image
// (layers as written in the archive) and records it for index.json.
func (w *archiveWriter) writeOCIManifest(tag string, cfgName v1.Hash, rawCfg []byte, layers []v1.Descriptor) error {
	m := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		Config:        v1.Descriptor{MediaType: types.OCIConfigJSON, Size: int64(len(rawCfg)), Digest: cfgName},
		Layers:        layers,
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("marshal manifest: %w", err)
	}
	desc := v1.Descriptor{MediaType: types.OCIManifestSchema1, Size: int64(len(raw)), Digest: sha256Hash(raw)}
	if _, t, ok := splitTag(tag); ok {
		desc.Annotations = map[string]string{
			"io.containerd.image.name": tag,
			RefNameAnnotation:          t,
		}
	}
	w.index = append(w.index, desc)
	return w.writeBytes("blobs/sha256/"+desc.Digest.Hex, raw)
}

// writeLayoutFiles writes oci-layout and index.json of a Docker 25+ archive.
func (w *archiveWriter) writeLayoutFiles() error {
	if err := w.writeBytes("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)); err != nil {
		return err
	}
	idx := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: w.index}
	return w.writeJSON("index.json", idx)
}
