package main

import (
	"archive/tar"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/plimsoll/plimsoll/bench/internal/benchimage"
)

// skipContents are directories kept empty in the layers, as container images do:
// the runtime mounts them.
var skipContents = map[string]bool{"dev": true, "proc": true, "sys": true}

// differ writes the entries of top that are new or changed against base, in
// lexical order, each preceded by its parent directories when those were not
// written yet, and a whiteout for each entry of base that top no longer has.
// With base "" every entry of top is written.
type differ struct {
	tw        *tar.Writer
	base, top string
	written   map[string]bool   // directories written
	links     map[uint64]string // inode → first path written, for hardlinks
}

func writeDiff(tw *tar.Writer, base, top string) error {
	d := &differ{tw: tw, base: base, top: top, written: map[string]bool{}, links: map[uint64]string{}}
	return filepath.WalkDir(top, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(top, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if first, _, nested := strings.Cut(rel, "/"); nested && skipContents[first] {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return d.visit(rel)
	})
}

func (d *differ) visit(rel string) error {
	fi, err := os.Lstat(filepath.Join(d.top, rel))
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSocket != 0 {
		return nil
	}
	var old fs.FileInfo
	if d.base != "" {
		old, _ = os.Lstat(filepath.Join(d.base, rel))
	}
	if changed(old, fi, filepath.Join(d.base, rel), filepath.Join(d.top, rel)) {
		if err := d.parents(rel); err != nil {
			return err
		}
		if err := d.entry(rel, fi); err != nil {
			return err
		}
	}
	if fi.IsDir() && old != nil && old.IsDir() {
		return d.whiteouts(rel)
	}
	return nil
}

// changed reports whether the entry must be written in the layer.
func changed(old, fi fs.FileInfo, oldPath, newPath string) bool {
	if old == nil || old.Mode() != fi.Mode() || !old.ModTime().Equal(fi.ModTime()) {
		return true
	}
	os1, ok1 := old.Sys().(*syscall.Stat_t)
	ns, ok2 := fi.Sys().(*syscall.Stat_t)
	if ok1 && ok2 && (os1.Uid != ns.Uid || os1.Gid != ns.Gid) {
		return true
	}
	switch {
	case fi.Mode().IsRegular():
		return old.Size() != fi.Size()
	case fi.Mode()&fs.ModeSymlink != 0:
		a, _ := os.Readlink(oldPath)
		b, _ := os.Readlink(newPath)
		return a != b
	}
	return false
}

// parents writes the directories above rel that are not written yet.
func (d *differ) parents(rel string) error {
	dir := path.Dir(rel)
	if dir == "." || d.written[dir] {
		return nil
	}
	if err := d.parents(dir); err != nil {
		return err
	}
	fi, err := os.Lstat(filepath.Join(d.top, dir))
	if err != nil {
		return err
	}
	return d.entry(dir, fi)
}

// whiteouts writes a whiteout for each entry of base/rel missing from top/rel.
func (d *differ) whiteouts(rel string) error {
	if first, _, _ := strings.Cut(rel, "/"); skipContents[first] {
		return nil
	}
	olds, err := os.ReadDir(filepath.Join(d.base, rel))
	if err != nil {
		return err
	}
	var gone []string
	for _, o := range olds {
		if _, err := os.Lstat(filepath.Join(d.top, rel, o.Name())); os.IsNotExist(err) {
			gone = append(gone, o.Name())
		}
	}
	sort.Strings(gone)
	for _, g := range gone {
		if err := d.parents(rel + "/x"); err != nil {
			return err
		}
		if err := d.tw.WriteHeader(&tar.Header{Name: rel + "/.wh." + g, Typeflag: tar.TypeReg, Mode: 0o644, ModTime: created}); err != nil {
			return fmt.Errorf("whiteout %s/%s: %w", rel, g, err)
		}
	}
	return nil
}

func (d *differ) entry(rel string, fi fs.FileInfo) error {
	if fi.IsDir() {
		d.written[rel] = true
	}
	return benchimage.WriteEntry(d.tw, filepath.Join(d.top, rel), rel, fi, d.links)
}
