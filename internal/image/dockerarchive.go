package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// dockerManifestEntry is one image in a docker archive's manifest.json.
type dockerManifestEntry struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// openDockerArchive opens what `docker save` and `podman save` write:
// PATH[:REPO:TAG], or "-" for standard input (spooled to a temporary file, because
// the archive's manifest.json may come after the layers it names).
func openDockerArchive(spec string, o Options) (*Image, error) {
	p, tag := splitArchiveRef(spec)
	if spec == "-" || strings.HasPrefix(spec, "-:") {
		p, tag = "-", strings.TrimPrefix(spec[1:], ":")
	}
	var (
		s   *tarStore
		err error
	)
	if p == "-" {
		s, err = spoolStdin(o.Stdin)
	} else {
		s, err = openTarStore(p)
	}
	if err != nil {
		return nil, fmt.Errorf("open docker archive: %w", err)
	}
	im, err := dockerArchiveImage(s, tag, o)
	if err != nil {
		s.Close()
		return nil, err
	}
	im.close = s.Close
	return im, nil
}

// splitArchiveRef splits "PATH:REPO:TAG" at the first ':' after an existing path.
func splitArchiveRef(spec string) (p, ref string) {
	if _, err := os.Stat(spec); err == nil {
		return spec, ""
	}
	for i := 0; i < len(spec); i++ {
		if spec[i] != ':' {
			continue
		}
		if _, err := os.Stat(spec[:i]); err == nil {
			return spec[:i], spec[i+1:]
		}
	}
	return spec, ""
}

func spoolStdin(r io.Reader) (*tarStore, error) {
	if r == nil {
		r = os.Stdin
	}
	f, err := os.CreateTemp("", "plimsoll-stdin-*.tar")
	if err != nil {
		return nil, fmt.Errorf("spool standard input: %w", err)
	}
	cleanup := func() { os.Remove(f.Name()) }
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		cleanup()
		return nil, fmt.Errorf("spool standard input: %w", err)
	}
	s, err := indexTar(f)
	if err != nil {
		f.Close()
		cleanup()
		return nil, fmt.Errorf("standard input: %w", err)
	}
	s.cleanup = cleanup
	return s, nil
}

func dockerArchiveImage(s *tarStore, tag string, o Options) (*Image, error) {
	raw, err := readJSONBlob("manifest.json", func() (io.ReadCloser, error) { return s.Open("manifest.json") })
	if err != nil {
		return nil, fmt.Errorf("not a docker archive: %w", err)
	}
	var entries []dockerManifestEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("parse manifest.json: %w", err)
	}
	e, err := pickDockerEntry(entries, tag)
	if err != nil {
		return nil, err
	}
	rawConfig, err := readJSONBlob("config "+e.Config, func() (io.ReadCloser, error) { return s.Open(e.Config) })
	if err != nil {
		return nil, err
	}
	cfg, err := v1.ParseConfigFile(strings.NewReader(string(rawConfig)))
	if err != nil {
		return nil, fmt.Errorf("parse config %s: %w", e.Config, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(e.Layers) {
		return nil, fmt.Errorf("manifest.json lists %d layers but config %s lists %d diffIDs", len(e.Layers), e.Config, len(cfg.RootFS.DiffIDs))
	}
	im := &Image{Config: cfg, ConfigDigest: digestOf(rawConfig), Tags: e.RepoTags, Platform: cfg.Platform(), Size: int64(len(rawConfig))}
	createdBy := layerCreatedBy(cfg)
	for i, lp := range e.Layers {
		entry, ok := s.entries[path.Clean("/" + lp)[1:]]
		if !ok {
			return nil, fmt.Errorf("layer %d: %s is missing from the archive", i, lp)
		}
		l := Layer{Index: i, DiffID: cfg.RootFS.DiffIDs[i].String(), Size: entry.size, CreatedBy: createdBy[i]}
		if dir, hex := path.Split(lp); dir == "blobs/sha256/" {
			l.Digest = "sha256:" + hex // newer Docker names layers by their blob digest
		}
		layerPath := lp
		l.open = func() (io.ReadCloser, error) { return s.Open(layerPath) }
		im.Layers = append(im.Layers, l)
		im.Size += entry.size
	}
	return im, nil
}

// pickDockerEntry selects the image tagged tag, or the only image.
func pickDockerEntry(entries []dockerManifestEntry, tag string) (dockerManifestEntry, error) {
	if len(entries) == 0 {
		return dockerManifestEntry{}, errors.New("manifest.json lists no images")
	}
	var all []string
	for _, e := range entries {
		for _, t := range e.RepoTags {
			if tag != "" && sameReference(t, tag) {
				return e, nil
			}
			all = append(all, t)
		}
		if len(e.RepoTags) == 0 {
			all = append(all, "(untagged "+e.Config+")")
		}
	}
	sort.Strings(all)
	if tag != "" {
		return dockerManifestEntry{}, fmt.Errorf("no image tagged %q; the archive holds: %s", tag, strings.Join(all, ", "))
	}
	if len(entries) > 1 {
		return dockerManifestEntry{}, fmt.Errorf("the archive holds %d images; name one as PATH:REPO:TAG: %s", len(entries), strings.Join(all, ", "))
	}
	return entries[0], nil
}

// sameReference compares two tags after normalisation ("alpine:3" is
// "docker.io/library/alpine:3").
func sameReference(a, b string) bool {
	if a == b {
		return true
	}
	ra, errA := name.ParseReference(a)
	rb, errB := name.ParseReference(b)
	return errA == nil && errB == nil && ra.Name() == rb.Name()
}
