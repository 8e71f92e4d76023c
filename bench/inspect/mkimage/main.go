// Command mkimage writes the benchmark image of `plimsoll inspect`: an OCI layout
// with three gzip layers — a Debian root filesystem read from a directory (as
// debootstrap left it), a node_modules-like application tree of a few thousand small
// files, and a handful of large binaries.
//
// Layers are streamed into the layout by bench/internal/benchimage, so no layer is
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
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/bench/internal/benchimage"
)

// created is the fixed creation time written in the config, history and entries.
var created = benchimage.Created

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

func run(rootfs, out, tag string) error {
	if st, err := os.Stat(rootfs); err != nil || !st.IsDir() {
		return fmt.Errorf("rootfs %s: not a directory (%v)", rootfs, err)
	}
	layers := []benchimage.Layer{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:debootstrap-minbase-bookworm in / ", Write: func(tw *tar.Writer) error { return writeDir(tw, rootfs) }},
		{CreatedBy: "/bin/sh -c npm ci --omit=dev && rm -rf /var/log/apt /var/log/*.log # buildkit", Write: func(tw *tar.Writer) error { return writeNodeApp(tw, rootfs) }},
		{CreatedBy: "COPY dist/ /opt/app/ # buildkit", Write: writeBinaries},
	}
	img, err := benchimage.Build(config(), layers, "ENV NODE_ENV=production", "WORKDIR /app", "USER 1000:1000", `CMD ["node", "server.js"]`)
	if err != nil {
		return err
	}
	_, err = benchimage.WriteLayout(out, tag, img)
	return err
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
