package imagetest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// DockerFormat is the file layout of a docker archive.
type DockerFormat int

// Docker archive layouts.
const (
	// DockerClassic is what `docker save` wrote before Docker 25 and what
	// `podman save` writes: <id>/layer.tar, <id>/json, <id>/VERSION,
	// <config hex>.json, manifest.json and repositories.
	DockerClassic DockerFormat = iota
	// DockerOCI is what Docker 25 and later write: an OCI layout
	// (oci-layout, index.json, blobs/sha256/…) plus manifest.json and
	// repositories whose paths point into blobs/sha256/.
	DockerOCI
)

// DockerArchiveOptions tune [WriteDockerArchiveWith].
type DockerArchiveOptions struct {
	Format DockerFormat
	// Gzip writes gzip-compressed layer files instead of plain tars
	// (docker load accepts both).
	Gzip bool
}

// dockerManifest is one entry of a docker archive's manifest.json.
type dockerManifest struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// WriteDockerArchive writes items as a classic `docker save` archive with
// uncompressed layers. Items must be images; a tag such as
// "example.com/app:1.0" becomes a RepoTag, and items with the same image are
// merged into one manifest.json entry with several RepoTags.
func WriteDockerArchive(path string, items ...Tagged) error {
	return WriteDockerArchiveWith(path, DockerArchiveOptions{}, items...)
}

// WriteDockerArchiveWith writes a docker archive in the given format.
func WriteDockerArchiveWith(path string, opts DockerArchiveOptions, items ...Tagged) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write docker archive %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write docker archive %s: %w", path, cerr)
		}
	}()
	w := &archiveWriter{tw: tar.NewWriter(f), written: map[string]bool{}, opts: opts}
	if err := w.write(items); err != nil {
		return fmt.Errorf("write docker archive %s: %w", path, err)
	}
	if err := w.tw.Close(); err != nil {
		return fmt.Errorf("write docker archive %s: %w", path, err)
	}
	return nil
}

// archiveWriter writes the files of a docker archive, each name once.
type archiveWriter struct {
	tw      *tar.Writer
	written map[string]bool
	opts    DockerArchiveOptions
	index   []v1.Descriptor // DockerOCI: the layout's index.json entries
}

// write writes every image, then manifest.json and repositories.
func (w *archiveWriter) write(items []Tagged) error {
	var manifests []dockerManifest
	byConfig := map[string]int{}
	repos := map[string]map[string]string{}
	for i, it := range items {
		if it.Image == nil || it.Index != nil {
			return fmt.Errorf("item %d: docker archives hold images only", i)
		}
		m, top, err := w.writeImage(it)
		if err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
		if n, ok := byConfig[m.Config]; ok {
			manifests[n].RepoTags = append(manifests[n].RepoTags, m.RepoTags...)
		} else {
			byConfig[m.Config] = len(manifests)
			manifests = append(manifests, m)
		}
		if repo, tag, ok := splitTag(it.Tag); ok {
			if repos[repo] == nil {
				repos[repo] = map[string]string{}
			}
			repos[repo][tag] = top
		}
	}
	if w.opts.Format == DockerOCI {
		if err := w.writeLayoutFiles(); err != nil {
			return err
		}
	}
	if err := w.writeJSON("manifest.json", manifests); err != nil {
		return err
	}
	if len(repos) == 0 {
		return nil
	}
	return w.writeJSON("repositories", repos)
}

// writeImage writes one image's config and layers and returns its
// manifest.json entry and the id of its top layer.
func (w *archiveWriter) writeImage(it Tagged) (dockerManifest, string, error) {
	var m dockerManifest
	if it.Tag != "" {
		m.RepoTags = []string{it.Tag}
	}
	cfgName, err := it.Image.ConfigName()
	if err != nil {
		return m, "", fmt.Errorf("config name: %w", err)
	}
	rawCfg, err := it.Image.RawConfigFile()
	if err != nil {
		return m, "", fmt.Errorf("config: %w", err)
	}
	layers, err := it.Image.Layers()
	if err != nil {
		return m, "", fmt.Errorf("layers: %w", err)
	}
	m.Config = cfgName.Hex + ".json"
	if w.opts.Format == DockerOCI {
		m.Config = "blobs/sha256/" + cfgName.Hex
	}
	if err := w.writeBytes(m.Config, rawCfg); err != nil {
		return m, "", err
	}
	var descs []v1.Descriptor
	parent := ""
	for i, l := range layers {
		name, desc, id, err := w.writeLayer(l, parent)
		if err != nil {
			return m, "", fmt.Errorf("layer %d: %w", i, err)
		}
		m.Layers = append(m.Layers, name)
		descs = append(descs, desc)
		parent = id
	}
	if w.opts.Format == DockerOCI {
		if err := w.writeOCIManifest(it.Tag, cfgName, rawCfg, descs); err != nil {
			return m, "", err
		}
	}
	return m, parent, nil
}

// writeLayer writes one layer file and returns its archive path, its
// descriptor and its classic layer id.
func (w *archiveWriter) writeLayer(l v1.Layer, parent string) (string, v1.Descriptor, string, error) {
	blob, mt, err := dockerLayerBlob(l, w.opts.Gzip)
	if err != nil {
		return "", v1.Descriptor{}, "", err
	}
	desc := v1.Descriptor{MediaType: mt, Size: int64(len(blob)), Digest: sha256Hash(blob)}
	diffID, err := l.DiffID()
	if err != nil {
		return "", desc, "", fmt.Errorf("diffID: %w", err)
	}
	id := layerID(parent, diffID)
	if w.opts.Format == DockerOCI {
		name := "blobs/sha256/" + desc.Digest.Hex
		return name, desc, id, w.writeBytes(name, blob)
	}
	if err := w.writeBytes(id+"/VERSION", []byte("1.0")); err != nil {
		return "", desc, "", err
	}
	meta := map[string]string{"id": id, "created": DefaultCreated.Format("2006-01-02T15:04:05Z")}
	if parent != "" {
		meta["parent"] = parent
	}
	if err := w.writeJSON(id+"/json", meta); err != nil {
		return "", desc, "", err
	}
	return id + "/layer.tar", desc, id, w.writeBytes(id+"/layer.tar", blob)
}

// dockerLayerBlob returns the bytes of a docker archive layer file: the
// uncompressed tar, or gzip bytes when gz is set (the layer's own blob when
// it is already gzip).
func dockerLayerBlob(l v1.Layer, gz bool) ([]byte, types.MediaType, error) {
	if gz {
		mt, err := l.MediaType()
		if err == nil && strings.HasSuffix(string(mt), "gzip") {
			rc, err := l.Compressed()
			if err != nil {
				return nil, "", fmt.Errorf("compressed: %w", err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			return b, types.OCILayer, err
		}
	}
	raw, err := uncompressedTar(l)
	if err != nil {
		return nil, "", fmt.Errorf("uncompressed: %w", err)
	}
	if !gz {
		return raw, types.OCIUncompressedLayer, nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), types.OCILayer, nil
}

// layerID is a stable classic layer id from the parent's id and the diffID,
// in the spirit of Docker's v1 ids (which hash the layer's json).
func layerID(parent string, diffID v1.Hash) string {
	sum := sha256.Sum256([]byte(parent + "\n" + diffID.String()))
	return hex.EncodeToString(sum[:])
}

// splitTag splits "repo:tag" at the last colon after the last slash.
func splitTag(ref string) (repo, tag string, ok bool) {
	i := strings.LastIndex(ref, ":")
	if i < 0 || strings.Contains(ref[i:], "/") {
		return "", "", false
	}
	return ref[:i], ref[i+1:], true
}

// writeJSON writes v as JSON under name.
func (w *archiveWriter) writeJSON(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("marshal %s: %w", name, err)
	}
	return w.writeBytes(name, b)
}

// writeBytes writes b under name unless name was written already.
func (w *archiveWriter) writeBytes(name string, b []byte) error {
	if w.written[name] {
		return nil
	}
	w.written[name] = true
	for _, dir := range parentDirs(name) {
		if w.written[dir] {
			continue
		}
		w.written[dir] = true
		hdr := &tar.Header{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, ModTime: DefaultCreated}
		if err := w.tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: DefaultCreated}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if _, err := w.tw.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// parentDirs lists "a/", "a/b/" for "a/b/c".
func parentDirs(name string) []string {
	var dirs []string
	for i := range len(name) {
		if name[i] == '/' {
			dirs = append(dirs, name[:i+1])
		}
	}
	return dirs
}
