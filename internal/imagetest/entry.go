package imagetest

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"iter"
	"path"
	"slices"
	"strings"
	"time"
)

// DefaultCreated is the creation time used for images, history entries and
// tar header modification times when none is given, so builds are
// deterministic.
var DefaultCreated = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Whiteout markers as the OCI image spec names them.
const (
	WhiteoutPrefix = ".wh."
	OpaqueMarker   = ".wh..wh..opq"
)

// Entry is one tar entry of a layer. Entries are written in the order given.
type Entry struct {
	// Path is written into the tar header verbatim, so tests can use "./x",
	// "/abs" or "../escape".
	Path string
	// Type is the tar type flag (tar.TypeReg, tar.TypeDir, tar.TypeSymlink,
	// tar.TypeLink, tar.TypeChar, tar.TypeBlock, tar.TypeFifo…). Zero means
	// tar.TypeReg.
	Type byte
	// Mode is the tar header mode: permission bits plus setuid (04000),
	// setgid (02000) and sticky (01000).
	Mode int64
	// UID and GID are the numeric owner.
	UID, GID int
	// Content is the file's body; only regular files carry one.
	Content []byte
	// Linkname is the target of a symlink or hard link.
	Linkname string
	// Size, when non-zero, replaces the size written into the header. When it
	// is larger than Content, the tar stream ends right after Content (no
	// padding, no later entries, no end-of-archive marker): the header claims
	// bytes that are not there, as a truncated download would.
	Size int64
	// Devmajor and Devminor are the device numbers of character and block
	// devices.
	Devmajor, Devminor int64
	// PAXRecords are extra PAX records, e.g. "SCHILY.xattr.security.capability".
	PAXRecords map[string]string
}

// File returns a regular file entry with mode 0644 owned by root.
func File(path, content string) Entry {
	return Entry{Path: path, Type: tar.TypeReg, Mode: 0o644, Content: []byte(content)}
}

// Dir returns a directory entry with mode 0755 owned by root. A trailing
// slash is added to the path, as tar writers do for directories.
func Dir(path string) Entry {
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	return Entry{Path: path, Type: tar.TypeDir, Mode: 0o755}
}

// Symlink returns a symbolic link entry at path pointing at target.
func Symlink(path, target string) Entry {
	return Entry{Path: path, Type: tar.TypeSymlink, Mode: 0o777, Linkname: target}
}

// Hardlink returns a hard link entry at path to the earlier entry target.
func Hardlink(path, target string) Entry {
	return Entry{Path: path, Type: tar.TypeLink, Mode: 0o644, Linkname: target}
}

// Whiteout returns the entry that deletes path from lower layers: an empty
// file named ".wh.<base>" in the same directory.
func Whiteout(p string) Entry {
	dir, base := path.Split(strings.TrimSuffix(p, "/"))
	return Entry{Path: dir + WhiteoutPrefix + base, Type: tar.TypeReg, Mode: 0o644}
}

// Opaque returns the entry that hides everything lower layers put in dir:
// "<dir>/.wh..wh..opq".
func Opaque(dir string) Entry {
	dir = strings.TrimSuffix(dir, "/")
	return Entry{Path: dir + "/" + OpaqueMarker, Type: tar.TypeReg, Mode: 0o644}
}

// Tar returns the uncompressed tar stream of entries, terminated by the
// end-of-archive marker unless an entry's Size makes it truncated.
func Tar(entries ...Entry) []byte {
	var buf bytes.Buffer
	// Writing into a bytes.Buffer cannot fail, and headers we build are
	// always encodable (PAX covers long names and large sizes).
	if err := writeTar(&buf, slices.Values(entries)); err != nil {
		panic(fmt.Sprintf("imagetest: write tar: %v", err))
	}
	return buf.Bytes()
}

// writeTar writes the entries yielded by seq as a tar stream to w.
func writeTar(w io.Writer, seq iter.Seq[Entry]) error {
	tw := tar.NewWriter(w)
	var err error
	truncated := false
	seq(func(e Entry) bool {
		truncated, err = writeEntry(tw, e)
		return err == nil && !truncated
	})
	if err != nil || truncated {
		return err
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("close tar: %w", err)
	}
	return nil
}

// writeEntry writes one entry. It reports truncated when the header claims
// more bytes than Content holds, after which the stream must end.
func writeEntry(tw *tar.Writer, e Entry) (truncated bool, err error) {
	hdr := header(e)
	if err := tw.WriteHeader(hdr); err != nil {
		return false, fmt.Errorf("write header %q: %w", e.Path, err)
	}
	body := e.Content
	if int64(len(body)) > hdr.Size {
		body = body[:hdr.Size]
	}
	if hdr.Size == 0 {
		return false, nil
	}
	if _, err := tw.Write(body); err != nil {
		return false, fmt.Errorf("write %q: %w", e.Path, err)
	}
	// A body shorter than the header's size leaves the stream truncated.
	return int64(len(body)) < hdr.Size, nil
}

// header returns the tar header of e with the fixed timestamp.
func header(e Entry) *tar.Header {
	typ := e.Type
	if typ == 0 {
		typ = tar.TypeReg
	}
	size := int64(0)
	if typ == tar.TypeReg {
		size = int64(len(e.Content))
	}
	if e.Size != 0 {
		size = e.Size
	}
	return &tar.Header{
		Typeflag:   typ,
		Name:       e.Path,
		Linkname:   e.Linkname,
		Mode:       e.Mode,
		Uid:        e.UID,
		Gid:        e.GID,
		Size:       size,
		ModTime:    DefaultCreated,
		Devmajor:   e.Devmajor,
		Devminor:   e.Devminor,
		PAXRecords: e.PAXRecords,
	}
}
