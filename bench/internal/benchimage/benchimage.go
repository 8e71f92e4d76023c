// Package benchimage writes the benchmark images (bench/inspect/mkimage,
// bench/realistic/mkrealistic): layers streamed as tar straight into
// go-containerregistry's stream.Layer, which gzips and hashes them on their way
// into an OCI layout, so no layer is held in memory; entries taken from a
// directory get headers that depend only on the tree (no user names, access
// times or sub-second modification times).
package benchimage

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/stream"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Created is the fixed creation time of the images' config, history and
// synthetic entries.
var Created = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// Layer is one layer: its history line and the function writing its entries.
type Layer struct {
	CreatedBy string
	Write     func(*tar.Writer) error
}

// Build assembles an OCI image from cfg and streamed gzip layers, then appends
// emptyHistory as empty-layer history steps (ENV, WORKDIR…). The layers can be
// read once only: write the image with WriteLayout.
func Build(cfg *v1.ConfigFile, layers []Layer, emptyHistory ...string) (v1.Image, error) {
	base, err := mutate.ConfigFile(empty.Image, cfg)
	if err != nil {
		return nil, fmt.Errorf("set config: %w", err)
	}
	base = mutate.ConfigMediaType(mutate.MediaType(base, types.OCIManifestSchema1), types.OCIConfigJSON)
	var adds []mutate.Addendum
	for _, l := range layers {
		sl := stream.NewLayer(tarStream(l.Write), stream.WithCompressionLevel(gzip.DefaultCompression), stream.WithMediaType(types.OCILayer))
		adds = append(adds, mutate.Addendum{Layer: sl, MediaType: types.OCILayer,
			History: v1.History{Created: v1.Time{Time: Created}, CreatedBy: l.CreatedBy}})
	}
	img, err := mutate.Append(base, adds...)
	if err != nil {
		return nil, fmt.Errorf("append layers: %w", err)
	}
	for _, h := range emptyHistory {
		img, err = mutate.Append(img, mutate.Addendum{History: v1.History{Created: v1.Time{Time: Created}, CreatedBy: h, EmptyLayer: true}})
		if err != nil {
			return nil, fmt.Errorf("append history: %w", err)
		}
	}
	return img, nil
}

// WriteLayout replaces out with an OCI layout holding img (linux/amd64) tagged
// tag, and returns the image as stored there, which can be read again.
func WriteLayout(out, tag string, img v1.Image) (v1.Image, error) {
	if err := os.RemoveAll(out); err != nil {
		return nil, fmt.Errorf("remove old layout: %w", err)
	}
	p, err := layout.Write(out, empty.Index)
	if err != nil {
		return nil, fmt.Errorf("create layout: %w", err)
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag}),
		layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"})); err != nil {
		return nil, fmt.Errorf("write layout: %w", err)
	}
	ii, err := p.ImageIndex()
	if err != nil {
		return nil, fmt.Errorf("read layout: %w", err)
	}
	m, err := ii.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("read layout index: %w", err)
	}
	stored, err := ii.Image(m.Manifests[0].Digest)
	if err != nil {
		return nil, fmt.Errorf("read layout image: %w", err)
	}
	return stored, nil
}

// tarStream runs write in a goroutine and returns the tar bytes it produces.
func tarStream(write func(*tar.Writer) error) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := write(tw)
		if cerr := tw.Close(); err == nil {
			err = cerr
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// WriteEntry writes the file system entry at p, whose Lstat is fi, as rel: a
// header without user names or access times and with its modification time
// truncated to the second, a trailing slash on directories, and the contents of
// a regular file. A file whose inode was already written (links: inode → first
// rel) becomes a hard link to it.
func WriteEntry(tw *tar.Writer, p, rel string, fi fs.FileInfo, links map[uint64]string) error {
	target := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		var err error
		if target, err = os.Readlink(p); err != nil {
			return err
		}
	}
	h, err := tar.FileInfoHeader(fi, target)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	h.Name, h.Uname, h.Gname = rel, "", ""
	h.ModTime, h.AccessTime, h.ChangeTime = fi.ModTime().Truncate(time.Second), time.Time{}, time.Time{}
	if fi.IsDir() {
		h.Name += "/"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && fi.Mode().IsRegular() && st.Nlink > 1 {
		if first, seen := links[st.Ino]; seen {
			h.Typeflag, h.Linkname, h.Size = tar.TypeLink, first, 0
			return tw.WriteHeader(h)
		}
		links[st.Ino] = rel
	}
	if err := tw.WriteHeader(h); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	return nil
}
