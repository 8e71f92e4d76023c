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
	layers := []struct {
		createdBy string
		write     func(*tar.Writer) error
	}{
		{"/bin/sh -c #(nop) ADD file:debootstrap-minbase-bookworm in / ", func(tw *tar.Writer) error { return writeDiff(tw, "", base) }},
		{"/bin/sh -c apt-get install -y --no-install-recommends python3-django python3-requests … && npm install && cp benchapp /usr/local/bin # buildkit",
			func(tw *tar.Writer) error { return writeDiff(tw, base, top) }},
	}
	img, err := mutate.ConfigFile(empty.Image, config(tag))
	if err != nil {
		return fmt.Errorf("set config: %w", err)
	}
	img = mutate.ConfigMediaType(mutate.MediaType(img, types.OCIManifestSchema1), types.OCIConfigJSON)
	for _, l := range layers {
		sl := stream.NewLayer(tarStream(l.write), stream.WithCompressionLevel(gzip.DefaultCompression), stream.WithMediaType(types.OCILayer))
		img, err = mutate.Append(img, mutate.Addendum{Layer: sl, MediaType: types.OCILayer,
			History: v1.History{Created: v1.Time{Time: created}, CreatedBy: l.createdBy}})
		if err != nil {
			return fmt.Errorf("append layer: %w", err)
		}
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
		return fmt.Errorf("write layout: %w", err)
	}
	// Re-read the image from the layout: the streamed layers can be consumed once only.
	ii, err := p.ImageIndex()
	if err != nil {
		return fmt.Errorf("read layout: %w", err)
	}
	m, err := ii.IndexManifest()
	if err != nil {
		return fmt.Errorf("read layout index: %w", err)
	}
	stored, err := ii.Image(m.Manifests[0].Digest)
	if err != nil {
		return fmt.Errorf("read layout image: %w", err)
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
