// Package layerfs reads the layers of a container image once each, as streams, and
// builds a file index with per-file provenance: the squashed view the running
// container sees (whiteouts and opaque directories applied as the OCI image spec
// says) and the all-layers view that keeps what later layers deleted or replaced.
//
// Nothing is unpacked to disk. Consumers declare the paths whose contents they need
// with a Request; only those contents are held, each under a size cap. Symlinks
// resolve inside the image root, clamped at "/" as a kernel would inside a chroot.
//
// Layers are decompressed concurrently (bounded by Options.Concurrency) and merged in
// layer order. Each layer's digest and diffID are verified during the same pass.
package layerfs

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// DefaultMaxFileSize is the default cap on the content held for one requested file.
const DefaultMaxFileSize = 64 << 20

// Type is the kind of a file system entry.
type Type uint8

// The entry types a layer can hold.
const (
	Regular Type = iota
	Dir
	Symlink
	Hardlink
	CharDevice
	BlockDevice
	FIFO
)

var typeNames = [...]string{"file", "dir", "symlink", "hardlink", "char", "block", "fifo"}

// String names the type as reports show it.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// MarshalText renders the type by name.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// File is one entry of a layer with its provenance.
type File struct {
	Path     string      `json:"path"` // absolute and clean: "/etc/os-release"
	Type     Type        `json:"type"`
	Mode     fs.FileMode `json:"mode"` // permission bits plus setuid, setgid and sticky
	UID      int         `json:"uid"`
	GID      int         `json:"gid"`
	Size     int64       `json:"size"`
	Linkname string      `json:"linkname,omitempty"` // symlink target as written; hardlink target as an absolute path
	Layer    int         `json:"layer"`              // index of the layer the entry came from
	Digest   string      `json:"digest,omitempty"`   // "sha256:…" of the content, when Options.Digests
}

// Setuid reports whether the file is set-user-ID.
func (f *File) Setuid() bool { return f.Type == Regular && f.Mode&fs.ModeSetuid != 0 }

// Setgid reports whether the file is set-group-ID.
func (f *File) Setgid() bool { return f.Type == Regular && f.Mode&fs.ModeSetgid != 0 }

// WorldWritable reports whether anyone may write the file or directory. A directory
// with the sticky bit (like /tmp) is not counted.
func (f *File) WorldWritable() bool {
	if f.Type != Regular && f.Type != Dir {
		return false
	}
	if f.Type == Dir && f.Mode&fs.ModeSticky != 0 {
		return false
	}
	return f.Mode&0o002 != 0
}

// Layer is one layer blob to read.
type Layer struct {
	Digest    v1.Hash // of the blob as stored; zero skips the check
	DiffID    v1.Hash // expected sha256 of the uncompressed tar; zero when unknown
	MediaType string
	// Open returns the blob as stored: gzip, zstd or plain tar (sniffed, not trusted
	// from the media type).
	Open func() (io.ReadCloser, error)
	// Skip, when set, is why the layer is not read (a non-distributable layer).
	Skip string
}

// Request declares files whose contents a consumer needs. A file is wanted when it
// matches any field. Paths and globs are absolute ("/etc/os-release",
// "/var/lib/dpkg/status.d/*"); globs use path.Match syntax on the whole path.
// Requests match entry paths as written in the layer: to read a file reached through
// a symlink (for example /etc/os-release → /usr/lib/os-release), request the target
// too.
type Request struct {
	Paths     []string
	Globs     []string
	BaseNames []string
	// Match is a predicate on the entry's clean path and tar header.
	Match func(path string, h *tar.Header) bool
}

// Options configure a walk. The zero value walks with defaults and holds nothing.
type Options struct {
	Requests    []Request
	MaxFileSize int64 // cap per held file; 0 means DefaultMaxFileSize
	Digests     bool  // compute the sha256 of every regular file
	Concurrency int   // layers read at once; 0 means GOMAXPROCS
	Logger      *slog.Logger
}

func (o *Options) maxFileSize() int64 {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxFileSize
}

// wants reports whether any request matches the entry.
func (o *Options) wants(p string, h *tar.Header) bool {
	base := path.Base(p)
	for i := range o.Requests {
		r := &o.Requests[i]
		for _, x := range r.Paths {
			if x == p {
				return true
			}
		}
		for _, b := range r.BaseNames {
			if b == base {
				return true
			}
		}
		for _, g := range r.Globs {
			if ok, _ := path.Match(g, p); ok {
				return true
			}
		}
		if r.Match != nil && r.Match(p, h) {
			return true
		}
	}
	return false
}

// Warning is a per-file or per-layer problem that did not fail the image.
type Warning struct {
	Layer   int    `json:"layer"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

func (w Warning) String() string {
	if w.Path == "" {
		return fmt.Sprintf("layer %d: %s", w.Layer, w.Message)
	}
	return fmt.Sprintf("layer %d: %s: %s", w.Layer, w.Path, w.Message)
}
