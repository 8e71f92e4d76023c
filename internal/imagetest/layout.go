package imagetest

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// RefNameAnnotation is the OCI annotation that names a layout's image.
const RefNameAnnotation = "org.opencontainers.image.ref.name"

// Tagged is an image or an index (set exactly one) with an optional tag.
// In an OCI layout the tag is written as the org.opencontainers.image.ref.name
// annotation (e.g. "1.0"); in a docker archive it is the RepoTag (e.g.
// "example.com/app:1.0").
type Tagged struct {
	Tag   string
	Image v1.Image
	Index v1.ImageIndex
}

// WriteOCILayout writes items into an OCI image layout at dir, creating it
// when missing; the layout's index.json lists the items in order.
func WriteOCILayout(dir string, items ...Tagged) error {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return fmt.Errorf("write oci layout %s: %w", dir, err)
	}
	for i, it := range items {
		var opts []layout.Option
		if it.Tag != "" {
			opts = append(opts, layout.WithAnnotations(map[string]string{RefNameAnnotation: it.Tag}))
		}
		switch {
		case it.Image != nil && it.Index == nil:
			err = p.AppendImage(it.Image, opts...)
		case it.Index != nil && it.Image == nil:
			err = p.AppendIndex(it.Index, opts...)
		default:
			err = errors.New("set exactly one of Image and Index")
		}
		if err != nil {
			return fmt.Errorf("write oci layout %s: item %d: %w", dir, i, err)
		}
	}
	return nil
}

// WriteOCIArchive writes items as an OCI archive at path: a tar of an OCI
// layout with oci-layout, index.json and blobs/ at its root, as skopeo and
// buildah write oci-archive.
func WriteOCIArchive(path string, items ...Tagged) error {
	tmp, err := os.MkdirTemp("", "imagetest-oci-")
	if err != nil {
		return fmt.Errorf("write oci archive %s: %w", path, err)
	}
	defer os.RemoveAll(tmp)
	if err := WriteOCILayout(tmp, items...); err != nil {
		return fmt.Errorf("write oci archive %s: %w", path, err)
	}
	if err := TarDir(path, tmp); err != nil {
		return fmt.Errorf("write oci archive %s: %w", path, err)
	}
	return nil
}

// TarDir writes the tree under dir as an uncompressed tar at path, in lexical
// order with fixed timestamps and owners: an OCI archive of a layout that a
// test changed after WriteOCILayout, say.
func TarDir(path, dir string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		return addFile(tw, filepath.ToSlash(rel), p, d)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// addFile adds the file or directory at p to tw under name.
func addFile(tw *tar.Writer, name, p string, d fs.DirEntry) error {
	if d.IsDir() {
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755, ModTime: DefaultCreated})
	}
	info, err := d.Info()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: info.Size(), ModTime: DefaultCreated}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

// RemoveBlob deletes blobs/<algorithm>/<hex> from the OCI layout at dir, so
// that a manifest names a missing blob. It fails when the blob is absent.
func RemoveBlob(dir string, digest v1.Hash) error {
	if err := os.Remove(filepath.Join(dir, "blobs", digest.Algorithm, digest.Hex)); err != nil {
		return fmt.Errorf("remove blob %s: %w", digest, err)
	}
	return nil
}
