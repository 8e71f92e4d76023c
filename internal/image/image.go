// Package image resolves an image reference — a registry reference or a local
// docker archive, OCI archive, OCI layout or root filesystem directory — to the
// image's identity, configuration, history and layer blobs, without reading the
// layers. Reading them is layerfs's job, through (*Image).Walk.
//
// References use the scheme prefixes users know from syft and skopeo:
// registry:REF, docker-archive:PATH[:TAG], oci-archive:PATH[:TAG],
// oci-dir:PATH[:TAG] (alias oci:), dir:PATH; a bare reference means registry.
package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// Image is a resolved image. Its layers are opened only when walked.
type Image struct {
	Reference      string         `json:"reference"` // as the user gave it
	Source         string         `json:"source"`    // registry, docker-archive, oci-archive, oci-dir, dir
	ManifestDigest string         `json:"manifestDigest,omitempty"`
	IndexDigest    string         `json:"indexDigest,omitempty"` // the multi-platform index it was picked from
	MediaType      string         `json:"mediaType,omitempty"`
	RepoDigests    []string       `json:"repoDigests,omitempty"`
	Tags           []string       `json:"tags,omitempty"`
	Platform       *v1.Platform   `json:"platform,omitempty"`
	ConfigDigest   string         `json:"configDigest,omitempty"`
	Size           int64          `json:"size"` // manifest, config and layer blobs as stored
	Config         *v1.ConfigFile `json:"-"`
	Layers         []Layer        `json:"layers"`
	Warnings       []string       `json:"warnings,omitempty"`
	// Annotations are the manifest's annotations (org.opencontainers.image.base.digest…):
	// claims by whoever built the image, to be cross-checked, never trusted alone.
	Annotations map[string]string `json:"annotations,omitempty"`

	close func() error
	late  func() []string // warnings the source learns only while its layers are read
}

// Layer describes one layer blob and the history step that made it.
type Layer struct {
	Index     int    `json:"index"`
	Digest    string `json:"digest,omitempty"` // of the blob as stored; empty when the source has none
	DiffID    string `json:"diffID,omitempty"`
	Size      int64  `json:"size"`
	MediaType string `json:"mediaType,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
	Skip      string `json:"skipped,omitempty"` // why the layer is not read

	open func() (io.ReadCloser, error)
}

// Close releases what the source holds open (an archive file, a spooled stdin).
func (im *Image) Close() error {
	if im.close == nil {
		return nil
	}
	return im.close()
}

// Walk reads every layer once and returns the image's file index.
func (im *Image) Walk(ctx context.Context, o layerfs.Options) (*layerfs.FS, error) {
	ls := make([]layerfs.Layer, len(im.Layers))
	for i, l := range im.Layers {
		ls[i] = layerfs.Layer{MediaType: l.MediaType, Open: l.open, Skip: l.Skip}
		if l.Digest != "" {
			h, err := v1.NewHash(l.Digest)
			if err != nil {
				return nil, fmt.Errorf("layer %d: digest: %w", i, err)
			}
			ls[i].Digest = h
		}
		if l.DiffID != "" {
			h, err := v1.NewHash(l.DiffID)
			if err != nil {
				return nil, fmt.Errorf("layer %d: diffID: %w", i, err)
			}
			ls[i].DiffID = h
		}
	}
	fsys, err := layerfs.Walk(ctx, ls, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", im.Reference, err)
	}
	return fsys, nil
}

// Options configure how references are resolved.
type Options struct {
	// Platform is "os/arch[/variant]" to pick from a multi-platform index; empty
	// means the host's architecture on linux.
	Platform string
	// Username and Password authenticate to the registry; empty means the docker
	// config (DOCKER_CONFIG, credential helpers) or anonymous access.
	Username, Password string
	// Insecure lists registry hosts (host[:port]) reached over plain HTTP or with
	// unverified TLS.
	Insecure []string
	// Timeout bounds connecting to a registry and waiting for its response headers.
	Timeout time.Duration
	// Retries is how many times a failed registry request is retried.
	Retries int
	// Keychain overrides the default docker-config keychain (tests).
	Keychain authn.Keychain
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
	// Stdin is read for "docker-archive:-".
	Stdin  io.Reader
	Logger *slog.Logger
	// UserAgent names plimsoll to registries.
	UserAgent string
}

// Sources are the reference schemes Open understands, in the order help lists them.
var Sources = []string{"registry", "docker-archive", "oci-archive", "oci-dir", "oci", "dir"}

// ErrBadReference reports a reference that names no image source.
var ErrBadReference = errors.New("bad image reference")

// Open resolves ref to an image.
func Open(ctx context.Context, ref string, o Options) (*Image, error) {
	scheme, rest := splitScheme(ref)
	var (
		im  *Image
		err error
	)
	switch scheme {
	case "registry":
		im, err = openRegistry(ctx, rest, o)
	case "docker-archive":
		im, err = openDockerArchive(rest, o)
	case "oci-archive":
		im, err = openOCIArchive(rest, o)
	case "oci-dir", "oci":
		scheme = "oci-dir"
		im, err = openOCIDir(rest, o)
	case "dir":
		im, err = openDir(rest)
	default:
		return nil, fmt.Errorf("%w %q: %s: is not an image source (images: %s)", ErrBadReference, ref, scheme, strings.Join(Sources, ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	im.Reference, im.Source = ref, scheme
	return im, nil
}

// splitScheme separates "scheme:rest"; a reference without a known scheme is a
// registry reference (which may itself contain ':' for a port or a tag).
func splitScheme(ref string) (scheme, rest string) {
	s, r, ok := strings.Cut(ref, ":")
	if ok && portPrefix.MatchString(r) {
		return "registry", ref // "registry:5000/app:1" is a host named registry with a port
	}
	if ok && (s == "sbom" || slices.Contains(Sources, s)) {
		return s, r
	}
	return "registry", ref
}

// portPrefix matches what follows "host:" when the colon introduces a port.
var portPrefix = regexp.MustCompile(`^\d+(/|$)`)
