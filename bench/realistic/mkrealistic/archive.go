package main

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// writeArchive writes img as a docker archive (the `docker save` layout:
// manifest.json, the config, one uncompressed layer.tar per layer). Each layer is
// inflated to a temporary file first, since a tar header needs its size.
func writeArchive(img v1.Image, path, tag string) error {
	cfgName, err := img.ConfigName()
	if err != nil {
		return fmt.Errorf("config digest: %w", err)
	}
	cfg, err := img.RawConfigFile()
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return fmt.Errorf("list layers: %w", err)
	}
	f, err := os.Create(path + ".partial")
	if err != nil {
		return fmt.Errorf("create archive: %w", err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := addBytes(tw, cfgName.Hex+".json", cfg); err != nil {
		return err
	}
	var names []string
	for _, l := range layers {
		d, err := l.DiffID()
		if err != nil {
			return fmt.Errorf("layer diffID: %w", err)
		}
		name := d.Hex + "/layer.tar"
		if err := addLayer(tw, name, l, filepath.Dir(path)); err != nil {
			return fmt.Errorf("archive layer %s: %w", d, err)
		}
		names = append(names, name)
	}
	manifest, err := json.Marshal([]map[string]any{{"Config": cfgName.Hex + ".json", "RepoTags": []string{tag + ":latest"}, "Layers": names}})
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if err := addBytes(tw, "manifest.json", manifest); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("close archive: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close archive: %w", err)
	}
	return os.Rename(path+".partial", path)
}

func addBytes(tw *tar.Writer, name string, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: created, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("archive %s: %w", name, err)
	}
	if _, err := tw.Write(b); err != nil {
		return fmt.Errorf("archive %s: %w", name, err)
	}
	return nil
}

func addLayer(tw *tar.Writer, name string, l v1.Layer, tmpDir string) error {
	tmp, err := os.CreateTemp(tmpDir, "layer-*.tar")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	rc, err := l.Uncompressed()
	if err != nil {
		return err
	}
	size, err := io.Copy(tmp, rc)
	rc.Close()
	if err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: created, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, tmp)
	return err
}
