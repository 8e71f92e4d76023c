package layerfs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"sort"
	"sync"
)

// LayerSummary is what the walk learned about one layer.
type LayerSummary struct {
	Index            int    `json:"index"`
	DiffID           string `json:"diffID,omitempty"` // computed from the stream
	Compression      string `json:"compression,omitempty"`
	StoredSize       int64  `json:"storedSize"`
	UncompressedSize int64  `json:"uncompressedSize"`
	Files            int    `json:"files"`
	Whiteouts        int    `json:"whiteouts"`
	Skipped          string `json:"skipped,omitempty"`
}

// FS is the file index of an image: every entry of every layer, the squashed view,
// and the contents that requests asked for.
type FS struct {
	layers   []*layerData
	summary  []LayerSummary
	squashed map[string]ref
	warnings []Warning
	shadowIndex
}

// ref locates a file: layer index and position in that layer's files.
type ref struct{ layer, pos int32 }

// ErrNotHeld is returned by ReadFile for a file whose content no request asked for
// (or that exceeded the cap).
var ErrNotHeld = errors.New("content not held: no request asked for it, or it exceeded the size cap")

// Walk reads every layer once, concurrently, and merges them in layer order.
func Walk(ctx context.Context, layers []Layer, o Options) (*FS, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := o.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	o.budget() // one budget for every layer walker
	data := make([]*layerData, len(layers))
	errs := make([]error, len(layers))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, l := range layers {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			d, err := walkLayer(ctx, i, l, &o)
			if err != nil {
				errs[i] = err
				cancel()
				return
			}
			data[i] = d
		})
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, err
	}
	f := &FS{layers: data}
	for i, d := range data {
		f.warnings = append(f.warnings, d.warnings...)
		f.summary = append(f.summary, LayerSummary{
			Index: i, DiffID: d.diffID, Compression: d.format, StoredSize: d.stored,
			UncompressedSize: d.size, Files: len(d.files), Whiteouts: len(d.whiteouts) + len(d.opaques),
			Skipped: layers[i].Skip,
		})
	}
	f.squash()
	f.warnLoops()
	if o.Logger != nil {
		for _, w := range f.warnings {
			o.Logger.Warn("layer entry", slog.Int("layer", w.Layer), slog.String("path", w.Path), slog.String("warning", w.Message))
		}
	}
	return f, nil
}

// firstError prefers a real failure over the cancellations it caused.
func firstError(errs []error) error {
	var canceled error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if errors.Is(err, context.Canceled) {
			if canceled == nil {
				canceled = err
			}
			continue
		}
		return err
	}
	return canceled
}

// squash computes the visible file of every path, top layer first: a path from
// layer i is visible unless a higher layer has the same path, whites it out (or
// one of its ancestors), marks an ancestor (or the root) opaque, or replaced an
// ancestor with a non-directory — even if a layer above that one made the
// ancestor a directory again, since the replacement deleted what was below it.
func (f *FS) squash() {
	f.squashed = make(map[string]ref)
	dirs := f.directoryPaths()
	whiteouts := map[string]struct{}{}
	opaques := map[string]struct{}{}
	for li := len(f.layers) - 1; li >= 0; li-- {
		d := f.layers[li]
		_, rootOpaque := opaques["/"]
		for pos := range d.files {
			p := d.files[pos].Path
			if _, ok := f.squashed[p]; ok || rootOpaque {
				continue
			}
			if _, ok := whiteouts[p]; ok {
				continue
			}
			hidden := parentDirs(p, func(dir string) bool {
				if _, ok := whiteouts[dir]; ok {
					return true
				}
				_, ok := opaques[dir]
				return ok
			})
			if !hidden {
				f.squashed[p] = ref{int32(li), int32(pos)}
			}
		}
		for _, p := range d.whiteouts {
			whiteouts[p] = struct{}{}
		}
		for _, p := range d.opaques {
			opaques[p] = struct{}{}
		}
		// A non-directory at a path some layer uses as a directory deletes that
		// directory's lower contents, as a whiteout would.
		for pos := range d.files {
			if file := &d.files[pos]; file.Type != Dir {
				if _, isDir := dirs[file.Path]; isDir {
					whiteouts[file.Path] = struct{}{}
				}
			}
		}
	}
}

// directoryPaths returns every path any layer uses as a directory: directory
// entries and the parents of every entry. It is proportional to the number of
// directories, not of files.
func (f *FS) directoryPaths() map[string]struct{} {
	dirs := map[string]struct{}{}
	add := func(p string) {
		parentDirs(p, func(dir string) bool {
			if _, ok := dirs[dir]; ok {
				return true // its own parents are in already
			}
			dirs[dir] = struct{}{}
			return false
		})
	}
	for _, d := range f.layers {
		for pos := range d.files {
			if d.files[pos].Type == Dir {
				dirs[d.files[pos].Path] = struct{}{}
			}
			add(d.files[pos].Path)
		}
		for _, p := range d.whiteouts {
			add(p)
		}
	}
	return dirs
}

// warnLoops adds a warning for each visible symlink that never resolves: the
// path is unusable, the rest of the image is not.
func (f *FS) warnLoops() {
	var loops []Warning
	for p, r := range f.squashed {
		file := f.file(r)
		if file.Type != Symlink {
			continue
		}
		if _, err := f.Resolve(p); errors.Is(err, ErrSymlinkLoop) {
			loops = append(loops, Warning{Layer: file.Layer, Path: p, Message: "symlink loop (" + file.Linkname + ")"})
		}
	}
	sort.Slice(loops, func(i, j int) bool { return loops[i].Path < loops[j].Path })
	f.warnings = append(f.warnings, loops...)
}

func (f *FS) file(r ref) *File { return &f.layers[r.layer].files[r.pos] }

// Layers summarises each layer as read.
func (f *FS) Layers() []LayerSummary { return f.summary }

// Warnings lists what was odd but legal, in layer order.
func (f *FS) Warnings() []Warning { return f.warnings }

// Len is the number of files in the squashed view.
func (f *FS) Len() int { return len(f.squashed) }

// Squashed returns the files the running container sees, sorted by path.
func (f *FS) Squashed() []*File {
	out := make([]*File, 0, len(f.squashed))
	for _, r := range f.squashed {
		out = append(out, f.file(r))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// LayerEntry is a file in the all-layers view.
type LayerEntry struct {
	*File
	// Visible reports whether this entry is the one the final image shows; false
	// when a later layer deleted or replaced it.
	Visible bool
}

// AllLayers returns every entry of every layer, in layer order then path order,
// including those later layers deleted or replaced.
func (f *FS) AllLayers() []LayerEntry {
	var out []LayerEntry
	for li, d := range f.layers {
		start := len(out)
		for pos := range d.files {
			r := ref{int32(li), int32(pos)}
			v, ok := f.squashed[d.files[pos].Path]
			out = append(out, LayerEntry{File: f.file(r), Visible: ok && v == r})
		}
		part := out[start:]
		sort.Slice(part, func(i, j int) bool { return part[i].Path < part[j].Path })
	}
	return out
}

// Lookup returns the visible file at an absolute clean path, without following a
// symlink in its last element (lstat).
func (f *FS) Lookup(p string) (*File, bool) {
	r, ok := f.squashed[p]
	if !ok {
		return nil, false
	}
	return f.file(r), true
}

// ReadFile returns the held content of the visible file at p, following symlinks
// inside the image root.
func (f *FS) ReadFile(p string) ([]byte, error) {
	real, err := f.Resolve(p)
	if err != nil {
		return nil, err
	}
	file, ok := f.Lookup(real)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: p, Err: fs.ErrNotExist}
	}
	if file.Type == Dir {
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("is a directory")}
	}
	c, ok := f.layers[file.Layer].contents[file.Path]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: p, Err: ErrNotHeld}
	}
	return c, nil
}

// LayerContent returns the held content of the entry at p in one layer, for the
// all-layers view.
func (f *FS) LayerContent(layer int, p string) ([]byte, bool) {
	if layer < 0 || layer >= len(f.layers) {
		return nil, false
	}
	c, ok := f.layers[layer].contents[p]
	return c, ok
}

// String describes the index briefly, for logs.
func (f *FS) String() string {
	return fmt.Sprintf("%d layers, %d visible files", len(f.layers), len(f.squashed))
}
