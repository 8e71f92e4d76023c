// Command mkrealistic writes the realistic benchmark image of the SBOM and scan
// benchmarks (issues 3 and 5) from two directories: a base root file system (the
// debootstrap rootfs of bench/inspect) and the same tree after the application was
// installed into a copy of it (bench/realistic/build.sh). The image has two layers:
// the base, and the difference between the two trees (new and changed entries, and
// whiteouts for removed ones), as `RUN apt-get install … && npm install …` leaves.
//
// It writes the image twice: as an OCI layout with gzip layers, and as a docker
// archive (`docker save` format) with uncompressed layers, for osv-scanner.
//
// Usage:
//
//	mkrealistic -base ROOTFS -top ROOTFS2 -out LAYOUT -archive TAR [-tag realistic]
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
	base := flag.String("base", "", "base root file system directory (required)")
	top := flag.String("top", "", "the base with the application installed (required)")
	out := flag.String("out", "", "OCI layout directory to create; replaced if it exists (required)")
	archive := flag.String("archive", "", "docker archive to write (uncompressed layers; required)")
	tag := flag.String("tag", "realistic", "image tag")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if *base == "" || *top == "" || *out == "" || *archive == "" {
		fmt.Fprintln(os.Stderr, "usage: mkrealistic -base DIR -top DIR -out LAYOUT -archive TAR [-tag TAG]")
		os.Exit(2)
	}
	start := time.Now()
	if err := run(*base, *top, *out, *archive, *tag); err != nil {
		log.Error("mkrealistic", slog.Any("err", err))
		os.Exit(1)
	}
	log.Info("image written", slog.String("out", *out), slog.String("archive", *archive), slog.Duration("took", time.Since(start)))
}

func run(base, top, out, archive, tag string) error {
	for _, d := range []string{base, top} {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return fmt.Errorf("%s: not a directory (%v)", d, err)
		}
	}
	layers := []benchimage.Layer{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:debootstrap-minbase-bookworm in / ", Write: func(tw *tar.Writer) error { return writeDiff(tw, "", base) }},
		{CreatedBy: "/bin/sh -c apt-get install -y --no-install-recommends python3-django python3-requests … && npm install && cp benchapp /usr/local/bin # buildkit",
			Write: func(tw *tar.Writer) error { return writeDiff(tw, base, top) }},
	}
	img, err := benchimage.Build(config(tag), layers)
	if err != nil {
		return err
	}
	// The streamed layers can be consumed once only: the archive reads the stored image.
	stored, err := benchimage.WriteLayout(out, tag, img)
	if err != nil {
		return err
	}
	return writeArchive(stored, archive, tag)
}

func config(tag string) *v1.ConfigFile {
	return &v1.ConfigFile{
		Architecture: "amd64",
		OS:           "linux",
		Created:      v1.Time{Time: created},
		RootFS:       v1.RootFS{Type: "layers"},
		Config: v1.Config{
			Env:        []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_ENV=production"},
			Cmd:        []string{"/usr/local/bin/benchapp"},
			WorkingDir: "/app",
			Labels:     map[string]string{"org.opencontainers.image.title": "plimsoll-" + tag},
		},
	}
}
