package image

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// maxJSON bounds the size of an index, manifest or config read into memory.
const maxJSON = 16 << 20

// readJSONBlob reads at most maxJSON bytes, failing clearly beyond that.
func readJSONBlob(what string, open func() (io.ReadCloser, error)) ([]byte, error) {
	rc, err := open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", what, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxJSON+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	if len(b) > maxJSON {
		return nil, fmt.Errorf("%s is larger than %d bytes", what, maxJSON)
	}
	return b, nil
}

// blobOpener opens a blob by descriptor.
type blobOpener func(d v1.Descriptor) (io.ReadCloser, error)

// fromManifest builds an Image from a manifest and its config; layers open lazily.
func fromManifest(rawManifest []byte, open blobOpener) (*Image, error) {
	m, err := v1.ParseManifest(bytes.NewReader(rawManifest))
	if err != nil {
		return nil, fmt.Errorf("parse manifest: %w", err)
	}
	if m.Config.Digest.Hex == "" {
		return nil, fmt.Errorf("manifest names no config (media type %q; not an image manifest?)", m.MediaType)
	}
	rawConfig, err := readJSONBlob("config "+m.Config.Digest.String(), func() (io.ReadCloser, error) { return open(m.Config) })
	if err != nil {
		return nil, err
	}
	if got := digestOf(rawConfig); got != m.Config.Digest.String() {
		return nil, fmt.Errorf("config blob has digest %s, not the %s the manifest names", got, m.Config.Digest)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawConfig))
	if err != nil {
		return nil, fmt.Errorf("parse config %s: %w", m.Config.Digest, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(m.Layers) {
		return nil, fmt.Errorf("manifest has %d layers but config %s lists %d diffIDs", len(m.Layers), m.Config.Digest, len(cfg.RootFS.DiffIDs))
	}
	im := &Image{
		ManifestDigest: digestOf(rawManifest),
		MediaType:      string(m.MediaType),
		ConfigDigest:   m.Config.Digest.String(),
		Config:         cfg,
		Size:           int64(len(rawManifest)) + int64(len(rawConfig)),
		Annotations:    m.Annotations,
	}
	if im.MediaType == "" {
		im.MediaType = string(types.OCIManifestSchema1)
	}
	im.Platform = cfg.Platform()
	createdBy := layerCreatedBy(cfg)
	for i, d := range m.Layers {
		l := Layer{
			Index: i, Digest: d.Digest.String(), DiffID: cfg.RootFS.DiffIDs[i].String(),
			Size: d.Size, MediaType: string(d.MediaType), CreatedBy: createdBy[i],
		}
		if err := checkLayerMediaType(d.MediaType); err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, d.Digest, err)
		}
		if nonDistributable(d.MediaType) {
			l.Skip = "non-distributable layer (" + string(d.MediaType) + ")"
			im.Warnings = append(im.Warnings, fmt.Sprintf("layer %d (%s) is non-distributable and was not read", i, d.Digest))
		}
		desc := d
		l.open = func() (io.ReadCloser, error) { return open(desc) }
		im.Layers = append(im.Layers, l)
		im.Size += d.Size
	}
	return im, nil
}

func digestOf(b []byte) string {
	h, _, _ := v1.SHA256(bytes.NewReader(b))
	return h.String()
}

// layerCreatedBy maps each layer to the created_by of its history step: history
// entries that are not empty_layer correspond to layers in order. A history that
// does not account for every layer leaves the rest blank.
func layerCreatedBy(cfg *v1.ConfigFile) map[int]string {
	out := map[int]string{}
	i := 0
	for _, h := range cfg.History {
		if h.EmptyLayer {
			continue
		}
		out[i] = h.CreatedBy
		i++
	}
	return out
}

func nonDistributable(mt types.MediaType) bool {
	s := string(mt)
	return strings.Contains(s, "nondistributable") || strings.Contains(s, "foreign")
}

// checkLayerMediaType rejects layers that are not tar layers at all (for example an
// artifact manifest's blobs), so the walker does not misread them.
func checkLayerMediaType(mt types.MediaType) error {
	s := string(mt)
	switch {
	case s == "", strings.Contains(s, "tar"), strings.Contains(s, "rootfs"):
		return nil
	}
	return fmt.Errorf("layer media type %q is not a filesystem layer", s)
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
