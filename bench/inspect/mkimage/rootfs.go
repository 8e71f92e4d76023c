package main

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// skipContents are directories kept empty in the layer, as container images do:
// the runtime mounts them.
var skipContents = map[string]bool{"dev": true, "proc": true, "sys": true}

// writeDir writes the tree under root as tar entries in lexical order, with
// hardlinks as links to the first path seen, numeric owners only and modification
// times to the second. Sockets are skipped.
func writeDir(tw *tar.Writer, root string) error {
	links := map[uint64]string{} // inode → first path, for hardlinks
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if top, _, nested := strings.Cut(rel, "/"); nested && skipContents[top] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return writeEntry(tw, p, rel, links)
	})
}

func writeEntry(tw *tar.Writer, p, rel string, links map[uint64]string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSocket != 0 {
		return nil
	}
	target := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = os.Readlink(p); err != nil {
			return err
		}
	}
	h, err := tar.FileInfoHeader(fi, target)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	h.Name, h.Uname, h.Gname = rel, "", ""
	h.ModTime, h.AccessTime, h.ChangeTime = fi.ModTime().Truncate(time.Second), time.Time{}, time.Time{}
	if fi.IsDir() {
		h.Name += "/"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && fi.Mode().IsRegular() && st.Nlink > 1 {
		if first, seen := links[st.Ino]; seen {
			h.Typeflag, h.Linkname, h.Size = tar.TypeLink, first, 0
			return tw.WriteHeader(h)
		}
		links[st.Ino] = rel
	}
	if err := tw.WriteHeader(h); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	return nil
}
