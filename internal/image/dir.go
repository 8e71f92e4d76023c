package image

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// openDir presents an unpacked root filesystem as a single layer: its tar stream is
// written on the fly as the layer is read, and never stored.
func openDir(dir string) (*Image, error) {
	// The walk does not follow symlinks, so a root given as a symlink (dir:link)
	// is resolved here, or it would read as an empty tree.
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("open directory: %s is not a directory", dir)
	}
	im := &Image{Layers: []Layer{{Index: 0, MediaType: "application/vnd.oci.image.layer.v1.tar", CreatedBy: "dir:" + dir}}}
	skipped := &dirSkips{}
	im.Layers[0].open = func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(tarDir(dir, pw, skipped)) }()
		return pr, nil
	}
	im.late = skipped.list
	return im, nil
}

// dirSkips collects what the tree walk left out, for the inspection's warnings.
type dirSkips struct {
	mu    sync.Mutex
	items []string
}

func (d *dirSkips) add(p string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.items = append(d.items, fmt.Sprintf("dir: %s: %v; left out", p, err))
}

func (d *dirSkips) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.items...)
}

// tarDir writes the tree under root as a tar stream, without following symlinks
// and without crossing into other filesystems (as find -xdev: dir:/ must not read
// /proc or /sys). Files that cannot be read are left out and recorded in skipped;
// a file that shrinks while it is read is padded with zeros to its recorded size
// and recorded too.
func tarDir(root string, w io.Writer, skipped *dirSkips) error {
	tw := tar.NewWriter(w)
	rootDev, haveDev := deviceOf(root)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			skipped.add(p, err) // unreadable subtree
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			skipped.add(p, err)
			return nil
		}
		if d.IsDir() && haveDev {
			if dev, ok := deviceOf(p); ok && dev != rootDev {
				return fs.SkipDir // a mount point of another filesystem
			}
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return nil
			}
		}
		if info.Mode()&fs.ModeSocket != 0 {
			return nil // sockets cannot be archived
		}
		h, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return nil
		}
		h.Name = filepath.ToSlash(rel)
		if sys, ok := info.Sys().(*syscall.Stat_t); ok {
			h.Uid, h.Gid = int(sys.Uid), int(sys.Gid)
		}
		h.Uname, h.Gname = "", ""
		if !info.Mode().IsRegular() {
			return tw.WriteHeader(h)
		}
		f, err := os.Open(p)
		if err != nil {
			skipped.add(p, err)
			return nil
		}
		defer f.Close()
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		n, err := io.CopyN(tw, f, h.Size)
		if n < h.Size { // shrank, or failed, while read: record it and keep the stream valid
			if err == nil || errors.Is(err, io.EOF) {
				err = fmt.Errorf("changed while read (%d of %d bytes)", n, h.Size)
			}
			skipped.add(p, err)
			if _, err := io.CopyN(tw, zeros{}, h.Size-n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// deviceOf returns the device a path lives on.
func deviceOf(p string) (uint64, bool) {
	st, err := os.Lstat(p)
	if err != nil {
		return 0, false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(sys.Dev), true
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
