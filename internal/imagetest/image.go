package imagetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Image describes a container image to build.
type Image struct {
	// Layers in order, lowest first.
	Layers []Layer
	// Config is the runtime config: User, ExposedPorts, Env, Entrypoint,
	// Cmd, Labels, Healthcheck, WorkingDir, StopSignal…
	Config v1.Config
	// EmptyHistory are extra empty_layer history entries placed after all
	// layers' entries (steps such as CMD or EXPOSE at the end of a
	// Dockerfile). Use [Layer.HistoryBefore] to interleave them. EmptyLayer
	// is set on each, and a zero Created becomes the image's.
	EmptyHistory []v1.History
	// Platform defaults to linux/amd64 when OS and Architecture are empty.
	Platform v1.Platform
	// Created defaults to [DefaultCreated].
	Created time.Time
	// Author goes into the config.
	Author string
	// DockerMediaTypes selects Docker v2 schema 2 media types instead of OCI.
	DockerMediaTypes bool
	// Annotations go into the manifest (OCI only in practice).
	Annotations map[string]string
}

// Build returns the image as a v1.Image. The same Image always builds to the
// same digests.
func (im Image) Build() (v1.Image, error) {
	created := im.Created
	if created.IsZero() {
		created = DefaultCreated
	}
	layers := make([]*builtLayer, 0, len(im.Layers))
	for i, l := range im.Layers {
		bl, err := l.build(im.DockerMediaTypes)
		if err != nil {
			return nil, fmt.Errorf("build layer %d: %w", i, err)
		}
		layers = append(layers, bl)
	}
	cf := im.configFile(created, layers)
	rawConfig, err := json.Marshal(cf)
	if err != nil {
		return nil, fmt.Errorf("marshal config: %w", err)
	}
	return newImage(rawConfig, layers, im.DockerMediaTypes, im.Annotations)
}

// configFile returns the image config for the built layers.
func (im Image) configFile(created time.Time, layers []*builtLayer) *v1.ConfigFile {
	p := im.Platform
	if p.OS == "" && p.Architecture == "" {
		p.OS, p.Architecture = "linux", "amd64"
	}
	cf := &v1.ConfigFile{
		Architecture: p.Architecture,
		OS:           p.OS,
		OSVersion:    p.OSVersion,
		OSFeatures:   p.OSFeatures,
		Variant:      p.Variant,
		Author:       im.Author,
		Created:      v1.Time{Time: created},
		Config:       im.Config,
		RootFS:       v1.RootFS{Type: "layers", DiffIDs: []v1.Hash{}},
	}
	empty := func(h v1.History) v1.History {
		h.EmptyLayer = true
		if h.Created.IsZero() {
			h.Created = v1.Time{Time: created}
		}
		return h
	}
	for i, l := range layers {
		for _, h := range im.Layers[i].HistoryBefore {
			cf.History = append(cf.History, empty(h))
		}
		cf.History = append(cf.History, v1.History{
			Created:   v1.Time{Time: created},
			CreatedBy: im.Layers[i].CreatedBy,
			Comment:   im.Layers[i].Comment,
		})
		cf.RootFS.DiffIDs = append(cf.RootFS.DiffIDs, l.diffID)
	}
	for _, h := range im.EmptyHistory {
		cf.History = append(cf.History, empty(h))
	}
	return cf
}

// image is a built image held in memory. It implements v1.Image.
type image struct {
	rawConfig   []byte
	rawManifest []byte
	manifest    *v1.Manifest
	layers      []v1.Layer
	mediaType   types.MediaType
}

var _ v1.Image = (*image)(nil)

// descriptorLayer is a layer that knows extra descriptor fields.
type descriptorLayer interface {
	v1.Layer
	descriptorURLs() []string
}

func (l *builtLayer) descriptorURLs() []string { return l.urls }

// newImage assembles the manifest for rawConfig and layers.
func newImage[L v1.Layer](rawConfig []byte, layers []L, docker bool, annotations map[string]string) (*image, error) {
	img := &image{rawConfig: rawConfig, mediaType: types.OCIManifestSchema1}
	configType := types.OCIConfigJSON
	if docker {
		img.mediaType, configType = types.DockerManifestSchema2, types.DockerConfigJSON
	}
	m := &v1.Manifest{
		SchemaVersion: 2,
		MediaType:     img.mediaType,
		Config: v1.Descriptor{
			MediaType: configType,
			Size:      int64(len(rawConfig)),
			Digest:    sha256Hash(rawConfig),
		},
		Layers:      []v1.Descriptor{},
		Annotations: annotations,
	}
	for i, l := range layers {
		desc, err := layerDescriptor(l)
		if err != nil {
			return nil, fmt.Errorf("describe layer %d: %w", i, err)
		}
		m.Layers = append(m.Layers, desc)
		img.layers = append(img.layers, l)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("marshal manifest: %w", err)
	}
	img.manifest, img.rawManifest = m, raw
	return img, nil
}

// layerDescriptor describes l for a manifest.
func layerDescriptor(l v1.Layer) (v1.Descriptor, error) {
	d, err := l.Digest()
	if err != nil {
		return v1.Descriptor{}, err
	}
	size, err := l.Size()
	if err != nil {
		return v1.Descriptor{}, err
	}
	mt, err := l.MediaType()
	if err != nil {
		return v1.Descriptor{}, err
	}
	desc := v1.Descriptor{MediaType: mt, Size: size, Digest: d}
	if dl, ok := l.(descriptorLayer); ok {
		desc.URLs = dl.descriptorURLs()
	}
	return desc, nil
}

// Layers returns the layers, lowest first.
func (i *image) Layers() ([]v1.Layer, error) { return append([]v1.Layer(nil), i.layers...), nil }

// MediaType returns the manifest's media type.
func (i *image) MediaType() (types.MediaType, error) { return i.mediaType, nil }

// Size returns the manifest's size.
func (i *image) Size() (int64, error) { return int64(len(i.rawManifest)), nil }

// ConfigName returns the config's digest.
func (i *image) ConfigName() (v1.Hash, error) { return i.manifest.Config.Digest, nil }

// ConfigFile parses the config.
func (i *image) ConfigFile() (*v1.ConfigFile, error) {
	return v1.ParseConfigFile(bytes.NewReader(i.rawConfig))
}

// RawConfigFile returns the config's bytes.
func (i *image) RawConfigFile() ([]byte, error) { return i.rawConfig, nil }

// Digest returns the manifest's digest.
func (i *image) Digest() (v1.Hash, error) { return sha256Hash(i.rawManifest), nil }

// Manifest returns a copy of the manifest.
func (i *image) Manifest() (*v1.Manifest, error) { return i.manifest.DeepCopy(), nil }

// RawManifest returns the manifest's bytes.
func (i *image) RawManifest() ([]byte, error) { return i.rawManifest, nil }

// ArtifactType returns the manifest's artifactType, empty for images. Without
// it go-containerregistry would describe the image in indexes with the config
// media type as artifactType, which image builders do not write.
func (i *image) ArtifactType() (string, error) { return i.manifest.ArtifactType, nil }

// LayerByDigest returns the layer whose blob has digest h.
func (i *image) LayerByDigest(h v1.Hash) (v1.Layer, error) {
	for _, l := range i.layers {
		if d, err := l.Digest(); err == nil && d == h {
			return l, nil
		}
	}
	if h == i.manifest.Config.Digest {
		return configLayer(i.rawConfig), nil
	}
	return nil, fmt.Errorf("layer with digest %s: not found", h)
}

// LayerByDiffID returns the layer the config lists with diffID h.
func (i *image) LayerByDiffID(h v1.Hash) (v1.Layer, error) {
	cf, err := i.ConfigFile()
	if err != nil {
		return nil, err
	}
	for n, d := range cf.RootFS.DiffIDs {
		if d == h && n < len(i.layers) {
			return i.layers[n], nil
		}
	}
	return nil, fmt.Errorf("layer with diffID %s: not found", h)
}

// configLayer exposes the config blob as a layer, as remote.Write expects
// from LayerByDigest(config digest).
func configLayer(raw []byte) v1.Layer {
	return &builtLayer{
		blob:        raw,
		compression: Uncompressed,
		digest:      sha256Hash(raw),
		diffID:      sha256Hash(raw),
		mediaType:   types.OCIConfigJSON,
	}
}

// SetDiffIDs returns img with a config whose rootfs lists diffIDs instead of
// the layers' real diffIDs, for tests of a config that lies. The layers and
// every other config field are kept; the manifest is rewritten for the new
// config, so its digest changes.
func SetDiffIDs(img v1.Image, diffIDs []v1.Hash) (v1.Image, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("set diffIDs: read config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.RootFS.DiffIDs = append([]v1.Hash{}, diffIDs...)
	raw, err := json.Marshal(cf)
	if err != nil {
		return nil, fmt.Errorf("set diffIDs: marshal config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("set diffIDs: layers: %w", err)
	}
	mt, err := img.MediaType()
	if err != nil {
		return nil, fmt.Errorf("set diffIDs: media type: %w", err)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("set diffIDs: manifest: %w", err)
	}
	out, err := newImage(raw, layers, mt == types.DockerManifestSchema2, m.Annotations)
	if err != nil {
		return nil, fmt.Errorf("set diffIDs: %w", err)
	}
	return out, nil
}

// uncompressedTar reads the whole uncompressed stream of l.
func uncompressedTar(l v1.Layer) ([]byte, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
