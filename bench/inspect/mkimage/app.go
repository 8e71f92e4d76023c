package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
)

const (
	nodePackages = 300 // packages under /app/node_modules
	appUID       = 1000
)

// whiteoutCandidates are files the application layer deletes, as `rm -rf` in a
// Dockerfile would; only those present in the root file system are whited out.
var whiteoutCandidates = []string{"var/log/apt", "var/log/dpkg.log", "var/log/alternatives.log", "var/log/bootstrap.log"}

// entryWriter writes tar entries owned by the application user.
type entryWriter struct {
	tw *tar.Writer
}

func (w entryWriter) dir(name string) error {
	return w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755,
		Uid: appUID, Gid: appUID, ModTime: created})
}

func (w entryWriter) file(name string, mode int64, b []byte) error {
	return w.reader(name, mode, int64(len(b)), bytes.NewReader(b))
}

func (w entryWriter) reader(name string, mode, size int64, r io.Reader) error {
	h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: size, Uid: appUID, Gid: appUID, ModTime: created}
	if err := w.tw.WriteHeader(h); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := io.CopyN(w.tw, r, size); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (w entryWriter) link(typ byte, name, target string) error {
	return w.tw.WriteHeader(&tar.Header{Typeflag: typ, Name: name, Linkname: target, Mode: 0o777,
		Uid: appUID, Gid: appUID, ModTime: created})
}

// writeNodeApp writes /app with a node_modules tree of a few thousand small files,
// and whiteouts for the logs a build step removed from the root file system.
func writeNodeApp(tw *tar.Writer, rootfs string) error {
	w := entryWriter{tw}
	for _, c := range whiteoutCandidates {
		if _, err := os.Lstat(filepath.Join(rootfs, c)); err == nil {
			h := &tar.Header{Typeflag: tar.TypeReg, Name: path.Join(path.Dir(c), ".wh."+path.Base(c)), ModTime: created}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
		}
	}
	g := newGen(1)
	for _, d := range []string{"app", "app/node_modules", "app/node_modules/.bin"} {
		if err := w.dir(d); err != nil {
			return err
		}
	}
	if err := w.file("app/server.js", 0o644, g.text(6000)); err != nil {
		return err
	}
	if err := w.file("app/package-lock.json", 0o644, g.text(400<<10)); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range nodePackages {
		name := g.name()
		if seen[name] {
			name = fmt.Sprintf("%s-%d", name, i)
		}
		seen[name] = true
		if err := writePackage(w, g, name); err != nil {
			return err
		}
	}
	return nil
}

// writePackage writes one package directory: manifest, readme, licence, sources,
// type declarations, source maps and sometimes a CLI linked from node_modules/.bin.
func writePackage(w entryWriter, g *gen, name string) error {
	dir := "app/node_modules/" + name
	for _, d := range []string{dir, dir + "/lib"} {
		if err := w.dir(d); err != nil {
			return err
		}
	}
	manifest := fmt.Sprintf(`{"name":%q,"version":"%d.%d.%d","main":"index.js","license":"MIT"}`+"\n",
		name, g.r.IntN(10), g.r.IntN(30), g.r.IntN(20))
	files := map[string][]byte{
		"package.json": []byte(manifest),
		"README.md":    g.text(g.size(300, 12000)),
		"LICENSE":      g.text(1070),
		"index.js":     g.text(g.size(100, 3000)),
	}
	for k := range 2 + g.r.IntN(14) {
		files[fmt.Sprintf("lib/m%d.js", k)] = g.text(g.size(200, 40000))
		if g.r.IntN(2) == 0 {
			files[fmt.Sprintf("lib/m%d.d.ts", k)] = g.text(g.size(100, 4000))
		}
		if g.r.IntN(5) == 0 {
			files[fmt.Sprintf("lib/m%d.js.map", k)] = g.text(g.size(500, 60000))
		}
	}
	for _, f := range slices.Sorted(maps.Keys(files)) {
		if err := w.file(dir+"/"+f, 0o644, files[f]); err != nil {
			return err
		}
	}
	if g.r.IntN(10) != 0 {
		return nil
	}
	if err := w.dir(dir + "/bin"); err != nil {
		return err
	}
	if err := w.file(dir+"/bin/cli.js", 0o755, g.text(g.size(200, 5000))); err != nil {
		return err
	}
	return w.link(tar.TypeSymlink, "app/node_modules/.bin/"+name, "../"+name+"/bin/cli.js")
}

// binaries are the large files of the third layer, in bytes.
var binaries = []struct {
	name string
	size int64
}{
	{"opt/app/bin/server", 40 << 20},
	{"opt/app/bin/worker", 28 << 20},
	{"opt/app/bin/cli", 16 << 20},
	{"opt/app/bin/migrate", 9 << 20},
	{"opt/app/lib/libplugin.so", 6 << 20},
}

// writeBinaries writes a handful of large executables and a hardlink to one.
func writeBinaries(tw *tar.Writer) error {
	w := entryWriter{tw}
	for _, d := range []string{"opt", "opt/app", "opt/app/bin", "opt/app/lib"} {
		if err := w.dir(d); err != nil {
			return err
		}
	}
	g := newGen(2)
	for _, b := range binaries {
		if err := w.reader(b.name, 0o755, b.size, &binReader{g: g}); err != nil {
			return err
		}
	}
	return w.link(tar.TypeLink, "opt/app/bin/app-cli", "opt/app/bin/cli")
}
