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
// layer order. Each layer's diffID is verified during the same pass (its stored
// digest too when the diffID is unknown, or when Options.VerifyBlobDigest asks).
package layerfs

import (
	"archive/tar"
	"fmt"
	"io"
	"log/slog"
	"path"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// DefaultMaxFileSize is the default cap on the content held for one requested file.
const DefaultMaxFileSize = 64 << 20

// DefaultMaxHeldBytes is the default cap on all contents held by one walk.
const DefaultMaxHeldBytes = 1 << 30

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
	Path     string `json:"path"` // absolute and clean: "/etc/os-release"
	Type     Type   `json:"type"`
	Mode     Mode   `json:"mode"`
	UID      int    `json:"uid"`
	GID      int    `json:"gid"`
	Size     int64  `json:"size"`
	Linkname string `json:"linkname,omitempty"` // symlink target as written; hardlink target as an absolute path
	Layer    int    `json:"layer"`              // index of the layer the entry came from
	Digest   string `json:"digest,omitempty"`   // "sha256:…" of the content, when Options.Digests
}

// Mode is the Unix mode of an entry without its type: permission bits plus
// set-user-ID (04000), set-group-ID (02000) and sticky (01000). It renders in octal.
type Mode uint32

// The special mode bits.
const (
	ModeSetuid Mode = 0o4000
	ModeSetgid Mode = 0o2000
	ModeSticky Mode = 0o1000
)

// String renders the mode as four octal digits, "4755".
func (m Mode) String() string { return fmt.Sprintf("%04o", uint32(m)) }

// MarshalText renders the mode in octal.
func (m Mode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Perm renders the mode as ls does, with the type's letter: "-rwsr-xr-x".
func (f *File) Perm() string {
	b := []byte("----------")
	if int(f.Type) < len(typeLetters) {
		b[0] = typeLetters[f.Type]
	}
	for i, c := range "rwxrwxrwx" {
		if f.Mode&(1<<(8-i)) != 0 {
			b[i+1] = byte(c)
		}
	}
	special := func(pos int, bit Mode, set, unset byte) {
		if f.Mode&bit != 0 {
			if b[pos] == 'x' {
				b[pos] = set
			} else {
				b[pos] = unset
			}
		}
	}
	special(3, ModeSetuid, 's', 'S')
	special(6, ModeSetgid, 's', 'S')
	special(9, ModeSticky, 't', 'T')
	return string(b)
}

const typeLetters = "-dlhcbp"

// Setuid reports whether the file is set-user-ID.
func (f *File) Setuid() bool { return f.Type == Regular && f.Mode&ModeSetuid != 0 }

// Setgid reports whether the file is set-group-ID.
func (f *File) Setgid() bool { return f.Type == Regular && f.Mode&ModeSetgid != 0 }

// WorldWritable reports whether anyone may write the file or directory. A directory
// with the sticky bit (like /tmp) is not counted.
func (f *File) WorldWritable() bool {
	if f.Type != Regular && f.Type != Dir {
		return false
	}
	if f.Type == Dir && f.Mode&ModeSticky != 0 {
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
	// Reduce, when set, is called with each matching file's whole content while
	// the layer streams, and only what it returns is held (nothing when it returns
	// nil). A consumer that needs a small part of large files — the build
	// information of executables — keeps memory to one file per layer being read.
	// An error is a warning naming the file. When another request wants the same
	// file whole, it is held whole and Reduce is not called.
	Reduce func(path string, content []byte) ([]byte, error)
	// ReduceStream is Reduce for consumers that can read a file front to back: it
	// gets the content as a stream and nothing is buffered for it at all. What it
	// leaves unread is skipped (and still hashed for Options.Digests).
	ReduceStream func(path string, r io.Reader) ([]byte, error)
}

// Options configure a walk. The zero value walks with defaults and holds nothing.
type Options struct {
	Requests    []Request
	MaxFileSize int64 // cap per held file; 0 means DefaultMaxFileSize
	Digests     bool  // compute the sha256 of every regular file
	Concurrency int   // layers read at once; 0 means GOMAXPROCS
	// VerifyBlobDigest also checks each blob's stored (compressed) digest when
	// the layer's diffID is known. The diffID check alone proves the content read
	// is the content the config names (the config itself is checked against the
	// manifest); the stored digest adds only that the compression is the one the
	// manifest names, at the cost of hashing every stored byte.
	VerifyBlobDigest bool
	// MaxHeldBytes bounds the contents held for all requests together, over every
	// layer; 0 means DefaultMaxHeldBytes. Past it, wanted files are named in a
	// warning and not held.
	MaxHeldBytes int64

	held   *budget // set by Walk, shared by the layer walkers
	Logger *slog.Logger
}

// budget is the walk's held-content budget.
func (o *Options) budget() *budget {
	if o.held == nil {
		limit := o.MaxHeldBytes
		if limit <= 0 {
			limit = DefaultMaxHeldBytes
		}
		o.held = &budget{limit: limit}
	}
	return o.held
}

// budget counts held bytes against a limit; safe for concurrent walkers.
type budget struct {
	limit int64
	used  atomic.Int64
}

// reserve takes n bytes if they fit.
func (b *budget) reserve(n int64) bool {
	if b.used.Add(n) > b.limit {
		b.used.Add(-n)
		return false
	}
	return true
}

func (b *budget) release(n int64) { b.used.Add(-n) }

func (o *Options) maxFileSize() int64 {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxFileSize
}

// wants reports whether any request matches the entry, and the reducing request
// to apply when only reducing requests do.
func (o *Options) wants(p string, h *tar.Header) (bool, *Request) {
	base := path.Base(p)
	var reducer *Request
	for i := range o.Requests {
		r := &o.Requests[i]
		if !r.matches(p, base, h) {
			continue
		}
		if r.Reduce == nil && r.ReduceStream == nil {
			return true, nil
		}
		if reducer == nil {
			reducer = r
		}
	}
	return reducer != nil, reducer
}

func (r *Request) matches(p, base string, h *tar.Header) bool {
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
	return r.Match != nil && r.Match(p, h)
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
