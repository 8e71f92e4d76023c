package gate

import (
	"archive/tar"
	"path"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// MaxScannedFile is the largest file whose content secret and content scans
// read.
const MaxScannedFile = 512 << 10

// skippedDirs hold distribution-installed programs, libraries and data, which
// content scans skip to keep the walk's memory small.
var skippedDirs = []string{"/usr/lib/", "/usr/lib64/", "/usr/libexec/", "/usr/share/", "/usr/bin/", "/usr/sbin/",
	"/usr/include/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/var/lib/dpkg/", "/var/lib/apk/", "/var/lib/rpm/",
	"/var/cache/", "/proc/", "/sys/", "/dev/"}

// skippedParts are directories anywhere in a path that hold third-party
// package contents or VCS objects, and skippedExts binary formats.
var (
	skippedParts = []string{"/node_modules/", "/site-packages/", "/dist-packages/", "/.git/objects/", "/__pycache__/"}
	skippedExts  = []string{".so", ".a", ".o", ".jar", ".war", ".class", ".pyc", ".png", ".jpg", ".jpeg", ".gif", ".ico",
		".woff", ".woff2", ".ttf", ".gz", ".zip", ".xz", ".bz2", ".zst", ".tar", ".mo", ".wasm"}
)

// Scanned reports whether content scans read the file at p.
func Scanned(p string, size int64) bool {
	if size > MaxScannedFile {
		return false
	}
	for _, d := range skippedDirs {
		if strings.HasPrefix(p, d) {
			return false
		}
	}
	for _, d := range skippedParts {
		if strings.Contains(p, d) {
			return false
		}
	}
	ext := strings.ToLower(path.Ext(p))
	for _, e := range skippedExts {
		if ext == e {
			return false
		}
	}
	return true
}

// ContentRequest asks the walk to hold the contents content scans read:
// regular files of at most MaxScannedFile bytes outside the distribution's
// program and library directories, installed third-party packages
// (node_modules, site-packages) and VCS objects, and not of binary formats.
func ContentRequest() layerfs.Request {
	return layerfs.Request{Match: func(p string, h *tar.Header) bool {
		return h.Typeflag == tar.TypeReg && Scanned(p, h.Size)
	}}
}

// ScannedFiles returns the visible regular files content scans read, with
// their contents; files whose content was not held are skipped.
func ScannedFiles(in *Input, each func(f *layerfs.File, content []byte)) {
	if in.FS == nil {
		return
	}
	for _, f := range in.FS.Squashed() {
		if f.Type != layerfs.Regular || !Scanned(f.Path, f.Size) {
			continue
		}
		b, err := in.FS.ReadFile(f.Path)
		if err != nil {
			continue
		}
		each(f, b)
	}
}

// LayeredFiles is implemented by file indexes that also keep the entries later
// layers deleted or replaced, with their held contents (layerfs.FS does).
type LayeredFiles interface {
	AllLayers() []layerfs.LayerEntry
	LayerContent(layer int, p string) ([]byte, bool)
	Lookup(p string) (*layerfs.File, bool)
}

var _ LayeredFiles = (*layerfs.FS)(nil)

// HiddenFiles calls each for the scanned regular files a later layer deleted
// or replaced: still shipped in their layer, though the container does not
// see them.
func HiddenFiles(in *Input, each func(f *layerfs.File, content []byte)) {
	lf, ok := in.FS.(LayeredFiles)
	if !ok {
		return
	}
	for _, e := range lf.AllLayers() {
		if e.Type != layerfs.Regular || !Scanned(e.Path, e.Size) {
			continue
		}
		// Visibility is decided by identity with the squashed view's entry
		// rather than LayerEntry.Visible, which layerfs reports wrongly for
		// the first entry of layer 0 when a later layer deleted it.
		if v, ok := lf.Lookup(e.Path); ok && v == e.File {
			continue
		}
		if b, ok := lf.LayerContent(e.Layer, e.Path); ok {
			each(e.File, b)
		}
	}
}
