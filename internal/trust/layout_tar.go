package trust

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// tarFiles serves the files of an OCI archive (an uncompressed tar of a
// layout) in place: one pass over its headers records where each regular
// file's bytes are; nothing is extracted.
type tarFiles struct {
	f     *os.File
	files map[string]io.SectionReader
}

// countingReader tracks the offset archive/tar has read (or seeked) to.
type countingReader struct {
	f   *os.File
	off int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.off += int64(n)
	return n, err
}

func (c *countingReader) Seek(off int64, whence int) (int64, error) {
	n, err := c.f.Seek(off, whence)
	if err == nil {
		c.off = n
	}
	return n, err
}

func openTarFiles(p string) (*tarFiles, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	t := &tarFiles{f: f, files: map[string]io.SectionReader{}}
	cr := &countingReader{f: f}
	tr := tar.NewReader(cr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("read archive %s: %w", p, err)
		}
		if h.Typeflag == tar.TypeReg {
			name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
			t.files[name] = *io.NewSectionReader(f, cr.off, h.Size)
		}
	}
	return t, nil
}

// Open returns the named file's bytes as a section of the archive.
func (t *tarFiles) Open(name string) (io.ReadCloser, error) {
	s, ok := t.files[strings.TrimPrefix(path.Clean("/"+name), "/")]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return io.NopCloser(&s), nil
}

func (t *tarFiles) Close() error { return t.f.Close() }
