// Command mkimage writes the benchmark image of `plimsoll inspect`: an OCI layout
// with three gzip layers — a Debian root filesystem read from a directory (as
// debootstrap left it), a node_modules-like application tree of a few thousand small
// files, and a handful of large binaries.
//
// Every layer is produced as a tar stream straight into go-containerregistry's
// stream.Layer, which gzips and hashes it on its way into the layout, so no layer is
// ever held in memory. The output depends only on the input directory: entries are
// written in lexical order without host user names or access times, and the
// application layers come from a seeded generator.
//
// Usage:
//
//	mkimage -rootfs bench/out/rootfs -out bench/out/layout [-tag bench]
package main

import (
	"archive/tar"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/stream"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// created is the fixed creation time written in the config and history.
var created = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

func main() {
	rootfs := flag.String("rootfs", "", "root file system directory for the base layer (required)")
	out := flag.String("out", "", "OCI layout directory to create; replaced if it exists (required)")
	tag := flag.String("tag", "bench", "org.opencontainers.image.ref.name of the image")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if *rootfs == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: mkimage -rootfs DIR -out LAYOUT [-tag TAG]")
		os.Exit(2)
	}
	start := time.Now()
	if err := run(*rootfs, *out, *tag); err != nil {
		log.Error("mkimage", slog.Any("err", err))
		os.Exit(1)
	}
	log.Info("layout written", slog.String("out", *out), slog.Duration("took", time.Since(start)))
}

// layerSpec is one layer: its history line and the function writing its entries.
type layerSpec struct {
	createdBy string
	write     func(*tar.Writer) error
}

func run(rootfs, out, tag string) error {
	if st, err := os.Stat(rootfs); err != nil || !st.IsDir() {
		return fmt.Errorf("rootfs %s: not a directory (%v)", rootfs, err)
	}
	specs := []layerSpec{
		{"/bin/sh -c #(nop) ADD file:debootstrap-minbase-bookworm in / ", func(tw *tar.Writer) error { return writeDir(tw, rootfs) }},
		{"/bin/sh -c npm ci --omit=dev && rm -rf /var/log/apt /var/log/*.log # buildkit", func(tw *tar.Writer) error { return writeNodeApp(tw, rootfs) }},
		{"COPY dist/ /opt/app/ # buildkit", writeBinaries},
	}
	img, err := buildImage(specs)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("remove old layout: %w", err)
	}
	p, err := layout.Write(out, empty.Index)
	if err != nil {
		return fmt.Errorf("create layout: %w", err)
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": tag}),
		layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"})); err != nil {
		return fmt.Errorf("write image: %w", err)
	}
	return nil
}

// buildImage assembles the image from streamed layers, with a config and history.
func buildImage(specs []layerSpec) (v1.Image, error) {
	base, err := mutate.ConfigFile(empty.Image, config())
	if err != nil {
		return nil, fmt.Errorf("set config: %w", err)
	}
	base = mutate.MediaType(base, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	var adds []mutate.Addendum
	for _, s := range specs {
		l := stream.NewLayer(tarStream(s.write), stream.WithCompressionLevel(gzip.DefaultCompression),
			stream.WithMediaType(types.OCILayer))
		adds = append(adds, mutate.Addendum{Layer: l, MediaType: types.OCILayer,
			History: v1.History{Created: v1.Time{Time: created}, CreatedBy: s.createdBy}})
	}
	img, err := mutate.Append(base, adds...)
	if err != nil {
		return nil, fmt.Errorf("append layers: %w", err)
	}
	for _, h := range []string{"ENV NODE_ENV=production", "WORKDIR /app", "USER 1000:1000", `CMD ["node", "server.js"]`} {
		img, err = mutate.Append(img, mutate.Addendum{History: v1.History{Created: v1.Time{Time: created}, CreatedBy: h, EmptyLayer: true}})
		if err != nil {
			return nil, fmt.Errorf("append history: %w", err)
		}
	}
	return img, nil
}

func config() *v1.ConfigFile {
	return &v1.ConfigFile{
		Architecture: "amd64",
		OS:           "linux",
		Created:      v1.Time{Time: created},
		RootFS:       v1.RootFS{Type: "layers"},
		Config: v1.Config{
			Env:        []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_ENV=production"},
			Cmd:        []string{"node", "server.js"},
			WorkingDir: "/app",
			User:       "1000:1000",
			Labels:     map[string]string{"org.opencontainers.image.title": "plimsoll-bench"},
		},
	}
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
