package main

import (
	"archive/tar"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/plimsoll/plimsoll/bench/internal/benchimage"
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
	return benchimage.WriteEntry(tw, p, rel, fi, links)
}
