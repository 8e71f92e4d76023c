package imagetest

import (
	"archive/tar"
	"encoding/binary"
	"fmt"
	"iter"
	"math/rand/v2"
	"path"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// LargeEmptyFiles returns a layer of n empty regular files under many/,
// a thousand to a directory (many/d0000/f0000000 …), for the "one million
// empty files" test. Its entries are generated while the layer is
// compressed, so memory stays small whatever n is; the gzip blob of a
// million files is a few megabytes.
func LargeEmptyFiles(n int) Layer {
	return Layer{
		CreatedBy: fmt.Sprintf("RUN create %d empty files", n),
		Generate:  emptyFiles(n),
	}
}

// emptyFiles yields the entries of [LargeEmptyFiles].
func emptyFiles(n int) iter.Seq[Entry] {
	const perDir = 1000
	return func(yield func(Entry) bool) {
		if !yield(Dir("many")) {
			return
		}
		for i := range n {
			dir := fmt.Sprintf("many/d%04d", i/perDir)
			if i%perDir == 0 && !yield(Dir(dir)) {
				return
			}
			if !yield(Entry{Path: fmt.Sprintf("%s/f%07d", dir, i), Type: tar.TypeReg, Mode: 0o644}) {
				return
			}
		}
	}
}

// Random returns a deterministic, realistic image description: a base layer
// with the usual top-level directories and /etc/os-release, then layers of
// filesPerLayer files each, with nested directories, files of varied sizes
// (mostly small, a few of hundreds of KiB), symlinks and hard links to
// earlier files, setuid binaries, and, from the second layer on, whiteouts
// of earlier files and now and then an opaque directory. The same seed
// always gives the same Image.
func Random(seed int64, layers, filesPerLayer int) Image {
	g := &generator{
		rng:  rand.New(rand.NewPCG(uint64(seed), 0x696d616765746573)),
		dirs: []string{"bin", "etc", "usr", "usr/bin", "usr/lib", "usr/share", "var", "var/lib", "opt"},
	}
	im := Image{Config: randomConfig(seed)}
	for i := range layers {
		l := Layer{CreatedBy: fmt.Sprintf("RUN step %d # seed %d", i, seed)}
		if i == 0 {
			l.CreatedBy = "/bin/sh -c #(nop) ADD file:rootfs in / "
			for _, d := range g.dirs {
				l.Entries = append(l.Entries, Dir(d))
			}
			l.Entries = append(l.Entries, File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"))
		} else {
			l.Entries = g.deletions()
			l.HistoryBefore = []v1.History{{CreatedBy: fmt.Sprintf("ENV STEP=%d", i)}}
		}
		for range filesPerLayer {
			l.Entries = append(l.Entries, g.entry()...)
		}
		im.Layers = append(im.Layers, l)
	}
	return im
}

// generator tracks what earlier layers created so later ones can link to
// and delete it.
type generator struct {
	rng   *rand.Rand
	dirs  []string
	files []string
	n     int
}

// entry returns one file-like entry, preceded by its directory's entry when
// it needs a new directory.
func (g *generator) entry() []Entry {
	var out []Entry
	if g.rng.IntN(8) == 0 {
		d := path.Join(g.pick(g.dirs), fmt.Sprintf("sub%d", g.n))
		g.dirs = append(g.dirs, d)
		out = append(out, Dir(d))
	}
	g.n++
	p := path.Join(g.pick(g.dirs), fmt.Sprintf("file%d%s", g.n, g.ext()))
	switch r := g.rng.IntN(20); {
	case r == 0 && len(g.files) > 0:
		return append(out, Symlink(p, "/"+g.pick(g.files)))
	case r == 1 && len(g.files) > 0:
		return append(out, Hardlink(p, g.pick(g.files)))
	case r == 2:
		e := File(p, string(g.content()))
		e.Mode = 0o4755
		g.files = append(g.files, p)
		return append(out, e)
	}
	e := File(p, string(g.content()))
	if g.rng.IntN(4) == 0 {
		e.UID, e.GID = 1000, 1000
	}
	g.files = append(g.files, p)
	return append(out, e)
}

// deletions returns whiteouts of a few earlier files and sometimes an
// opaque marker for a directory created by an earlier layer.
func (g *generator) deletions() []Entry {
	var out []Entry
	for range g.rng.IntN(4) {
		if len(g.files) == 0 {
			break
		}
		i := g.rng.IntN(len(g.files))
		out = append(out, Whiteout(g.files[i]))
		g.files = slices.Delete(g.files, i, i+1)
	}
	if len(g.dirs) > 9 && g.rng.IntN(3) == 0 {
		dir := g.dirs[9+g.rng.IntN(len(g.dirs)-9)]
		out = append(out, Opaque(dir))
		g.files = slices.DeleteFunc(g.files, func(f string) bool { return strings.HasPrefix(f, dir+"/") })
	}
	return out
}

// content is a body of varied size: half text (compressible), half random.
func (g *generator) content() []byte {
	var size int
	switch r := g.rng.IntN(100); {
	case r < 10:
		size = 0
	case r < 80:
		size = g.rng.IntN(4 << 10)
	case r < 98:
		size = g.rng.IntN(64 << 10)
	default:
		size = 256<<10 + g.rng.IntN(256<<10)
	}
	b := make([]byte, size)
	const text = "lorem ipsum dolor sit amet\n"
	for i := 0; i < size/2; i += len(text) {
		copy(b[i:size/2], text[g.rng.IntN(8):])
	}
	for i := size / 2; i < size; i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], g.rng.Uint64())
		copy(b[i:], w[:])
	}
	return b
}

func (g *generator) ext() string {
	return []string{"", ".so", ".txt", ".json", ".py", ".conf"}[g.rng.IntN(6)]
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// randomConfig is a plausible runtime config.
func randomConfig(seed int64) v1.Config {
	return v1.Config{
		User:       "1000:1000",
		Env:        []string{"PATH=/usr/local/bin:/usr/bin:/bin", fmt.Sprintf("SEED=%d", seed)},
		Entrypoint: []string{"/usr/bin/app"},
		Cmd:        []string{"--serve"},
		WorkingDir: "/opt",
		Labels:     map[string]string{"org.opencontainers.image.title": "random"},
	}
}
