package image

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// tarStore reads the files of an uncompressed tar archive in place: one scan of its
// headers records where each file's bytes are, and each Open is a section of the
// archive file. Nothing is extracted.
type tarStore struct {
	f       *os.File
	entries map[string]tarEntry
	cleanup func() // removes a spooled temporary file
}

type tarEntry struct{ off, size int64 }

// offsetReader tracks the position in the file while archive/tar reads headers,
// and lets tar skip file contents by seeking.
type offsetReader struct {
	f   *os.File
	pos int64
}

func (r *offsetReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	r.pos += int64(n)
	return n, err
}

func (r *offsetReader) Seek(off int64, whence int) (int64, error) {
	n, err := r.f.Seek(off, whence)
	if err == nil {
		r.pos = n
	}
	return n, err
}

// openTarStore indexes the archive at p.
func openTarStore(p string) (*tarStore, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	s, err := indexTar(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return s, nil
}

func indexTar(f *os.File) (*tarStore, error) {
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	if bytes.HasPrefix(magic[:n], gzipMagic) || bytes.HasPrefix(magic[:n], zstdMagic) {
		return nil, errors.New("the archive is compressed; decompress it first (archives are read in place, not unpacked)")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	or := &offsetReader{f: f}
	tr := tar.NewReader(or)
	s := &tarStore{f: f, entries: map[string]tarEntry{}}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg { // archive/tar reports the old TypeRegA as TypeReg
			continue
		}
		name := path.Clean("/" + h.Name)[1:]
		s.entries[name] = tarEntry{off: or.pos, size: h.Size}
	}
	if len(s.entries) == 0 {
		return nil, errors.New("read archive: no files in it (is it a tar archive?)")
	}
	return s, nil
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Open returns the named file's bytes as a section of the archive.
func (s *tarStore) Open(name string) (io.ReadCloser, error) {
	e, ok := s.entries[strings.TrimPrefix(path.Clean("/"+name), "/")]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return io.NopCloser(io.NewSectionReader(s.f, e.off, e.size)), nil
}

func (s *tarStore) Close() error {
	err := s.f.Close()
	if s.cleanup != nil {
		s.cleanup()
	}
	return err
}

// openOCIArchive opens a tar of an OCI layout (what skopeo and buildah write as
// oci-archive): PATH[:TAG].
func openOCIArchive(spec string, o Options) (*Image, error) {
	files, _, tag, err := OpenLayoutFiles(spec, true)
	if err != nil {
		return nil, fmt.Errorf("open OCI archive: %w", err)
	}
	return openLayout(files, tag, o)
}
