package layerfs

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"
)

// layerData is what one pass over one layer produced.
type layerData struct {
	files     []File   // entries other than whiteouts; the last entry for a path wins
	whiteouts []string // paths this layer deletes from the layers below
	opaques   []string // directories whose contents below this layer are hidden
	contents  map[string][]byte
	warnings  []Warning
	diffID    string
	size      int64 // uncompressed bytes
	stored    int64 // stored (compressed) bytes
	format    string
}

// LayerError is a failure reading one layer, naming the layer and, when the failure
// belongs to one, the tar entry.
type LayerError struct {
	Layer  int
	Digest string
	Entry  string
	Err    error
}

func (e *LayerError) Error() string {
	s := fmt.Sprintf("layer %d", e.Layer)
	if e.Digest != "" {
		s += " (" + e.Digest + ")"
	}
	if e.Entry != "" {
		s += fmt.Sprintf(": entry %q", e.Entry)
	}
	return s + ": " + e.Err.Error()
}

func (e *LayerError) Unwrap() error { return e.Err }

// walkLayer reads one layer blob once: it inflates it, parses the tar, records every
// entry, holds the requested contents and verifies the digest and diffID.
func walkLayer(ctx context.Context, idx int, l Layer, o *Options) (*layerData, error) {
	digest := ""
	if l.Digest.Hex != "" {
		digest = l.Digest.String()
	}
	fail := func(entry string, err error) error {
		return &LayerError{Layer: idx, Digest: digest, Entry: entry, Err: err}
	}
	if l.Skip != "" {
		return &layerData{warnings: []Warning{{Layer: idx, Message: "not read: " + l.Skip}}}, nil
	}
	blob, err := l.Open()
	if err != nil {
		return nil, fail("", fmt.Errorf("open blob: %w", err))
	}
	// The diffID proves the content; the stored digest is checked only when there
	// is no diffID to check, or when asked (Options.VerifyBlobDigest).
	checkStored := l.Digest.Hex != "" && (l.DiffID.Hex == "" || o.VerifyBlobDigest)
	s, err := openStream(blob, checkStored)
	if err != nil {
		blob.Close()
		return nil, fail("", err)
	}
	defer s.close()

	w := &layerWalker{ctx: ctx, idx: idx, o: o, d: &layerData{format: s.compression}, index: map[string]int{}}
	if err := w.run(tar.NewReader(s)); err != nil {
		var le *LayerError
		if errors.As(err, &le) {
			le.Digest = digest
			return nil, le
		}
		return nil, fail(w.entry, err)
	}
	if err := s.finish(); err != nil {
		return nil, fail("", fmt.Errorf("read past the end of the archive: %w", err))
	}
	w.d.diffID, w.d.size, w.d.stored = s.diffID(), s.diffSize, s.storedSize
	if checkStored && s.storedDigest() != digest {
		return nil, fail("", fmt.Errorf("blob digest is %s, not the %s the manifest names", s.storedDigest(), digest))
	}
	if l.DiffID.Hex != "" && w.d.diffID != l.DiffID.String() {
		return nil, fail("", fmt.Errorf("diffID is %s, not the %s the image config names", w.d.diffID, l.DiffID))
	}
	return w.d, nil
}

type layerWalker struct {
	ctx   context.Context
	idx   int
	o     *Options
	d     *layerData
	index map[string]int // path → position in d.files, to let later entries win
	entry string         // the entry being read, for errors
	buf   []byte

	absolute      int // entries with absolute names, reported once per layer
	firstAbsolute string
	scratch       bytes.Buffer // content of a file being reduced
}

func (w *layerWalker) warn(p, msg string) {
	w.d.warnings = append(w.d.warnings, Warning{Layer: w.idx, Path: p, Message: msg})
}

func (w *layerWalker) run(tr *tar.Reader) error {
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := w.ctx.Err(); err != nil {
				return err
			}
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			w.reportAbsolute()
			return nil
		}
		if err != nil {
			return fmt.Errorf("read tar: %w", err)
		}
		w.entry = h.Name
		if err := w.add(tr, h); err != nil {
			return err
		}
	}
}

// reportAbsolute warns once per layer about absolute entry names: some tools write
// every entry that way, and a warning per entry would drown the rest.
func (w *layerWalker) reportAbsolute() {
	switch w.absolute {
	case 0:
	case 1:
		w.warn(path.Clean(w.firstAbsolute), fmt.Sprintf("absolute entry name %q normalised under the root", w.firstAbsolute))
	default:
		w.warn("", fmt.Sprintf("%d entries have absolute names (the first: %q); normalised under the root", w.absolute, w.firstAbsolute))
	}
}

func (w *layerWalker) add(tr *tar.Reader, h *tar.Header) error {
	p, wasAbs, err := cleanEntryPath(h.Name)
	if err != nil {
		return err
	}
	if wasAbs {
		if w.absolute == 0 {
			w.firstAbsolute = h.Name
		}
		w.absolute++
	}
	if p == "/" {
		return nil // the root itself carries nothing we keep
	}
	if target, opaque, ok := whiteoutTarget(p); ok {
		switch {
		case target == "":
			w.warn(p, "whiteout marker names nothing; ignored")
		case opaque:
			w.d.opaques = append(w.d.opaques, target)
		default:
			w.d.whiteouts = append(w.d.whiteouts, target)
		}
		return nil
	}
	if _, dup := w.index[p]; dup {
		w.release(p) // a later entry for the same path replaces the earlier one, content too
	}
	f := File{Path: p, Mode: fileMode(h), UID: h.Uid, GID: h.Gid, Layer: w.idx}
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse, tar.TypeCont:
		f.Type, f.Size = Regular, h.Size
		if isSparse(h) {
			// A sparse entry's size is logical: reading it would produce that many
			// bytes of holes from a few stored bytes (terabytes from a tiny layer).
			w.warn(p, fmt.Sprintf("sparse file (logical size %d): content not read", h.Size))
			break
		}
		if err := w.readContent(tr, h, &f); err != nil {
			return err
		}
	case tar.TypeDir:
		f.Type = Dir
	case tar.TypeSymlink:
		f.Type, f.Linkname = Symlink, h.Linkname
	case tar.TypeLink:
		target, _, err := cleanEntryPath(h.Linkname)
		if err != nil {
			return fmt.Errorf("hardlink target %q: %w", h.Linkname, err)
		}
		f.Type, f.Linkname = Hardlink, target
		w.linkHardlink(&f)
	case tar.TypeChar:
		f.Type = CharDevice
	case tar.TypeBlock:
		f.Type = BlockDevice
	case tar.TypeFifo:
		f.Type = FIFO
	default:
		w.warn(p, fmt.Sprintf("tar entry type %q skipped", h.Typeflag))
		return nil
	}
	if i, dup := w.index[p]; dup {
		w.d.files[i] = f
		return nil
	}
	w.index[p] = len(w.d.files)
	w.d.files = append(w.d.files, f)
	return nil
}

// readContent streams a regular file's content once: through sha256 when digests
// are asked for, and into memory when a request wants it and it fits under the cap.
func (w *layerWalker) readContent(tr *tar.Reader, h *tar.Header, f *File) error {
	wanted, reducer := w.o.wants(f.Path, h)
	limit := w.o.maxFileSize()
	streaming := reducer != nil && reducer.ReduceStream != nil // buffers nothing: no cap
	if wanted && !streaming && h.Size > limit {
		w.warn(f.Path, fmt.Sprintf("%d bytes exceeds the %d-byte cap on held files; content not read", h.Size, limit))
		wanted = false
	}
	if wanted && reducer == nil && !w.o.budget().reserve(h.Size) {
		w.warn(f.Path, fmt.Sprintf("the %d-byte budget for held contents is spent; content not read", w.o.budget().limit))
		wanted = false
	}
	if !wanted && !w.o.Digests {
		return nil // tar.Reader skips the content on the next call to Next
	}
	src := &ctxReader{ctx: w.ctx, r: tr}
	if wanted && streaming {
		return w.reduceStream(src, reducer.ReduceStream, f)
	}
	var reduce func(string, []byte) ([]byte, error)
	if wanted && reducer != nil {
		reduce = reducer.Reduce
	}
	var held *bytes.Buffer
	var sink io.Writer = io.Discard
	switch {
	case wanted && reduce != nil:
		w.scratch.Reset()           // one buffer per layer walker, reused file after file
		w.scratch.Grow(int(h.Size)) // exact, under the cap: no doubling copies of a large file
		held = &w.scratch
		sink = held
	case wanted:
		held = bytes.NewBuffer(make([]byte, 0, min(h.Size, 1<<20)))
		sink = held
	}
	if w.buf == nil {
		w.buf = make([]byte, 64<<10)
	}
	if w.o.Digests {
		hs := sha256.New()
		if _, err := io.CopyBuffer(io.MultiWriter(hs, sink), src, w.buf); err != nil {
			return fmt.Errorf("read content: %w", err)
		}
		f.Digest = fmt.Sprintf("sha256:%x", hs.Sum(nil))
	} else if _, err := io.CopyBuffer(sink, src, w.buf); err != nil {
		return fmt.Errorf("read content: %w", err)
	}
	if held == nil {
		return nil
	}
	content := held.Bytes()
	if reduce != nil {
		content = w.reduce(reduce, f.Path, content)
		if w.scratch.Cap() > maxScratch {
			w.scratch = bytes.Buffer{} // let one huge file's buffer go
		}
		if content == nil || !w.hold(f.Path, int64(len(content))) {
			return nil
		}
	}
	if w.d.contents == nil {
		w.d.contents = map[string][]byte{}
	}
	w.d.contents[f.Path] = content
	return nil
}

// reduceStream hands the content to a streaming reducer, then drains what it left
// (through the digest). A failure to read the layer is the layer's error; any
// other failure of the reducer is a warning naming the file.
func (w *layerWalker) reduceStream(src io.Reader, fn func(string, io.Reader) ([]byte, error), f *File) error {
	var hs hash.Hash
	r := src
	if w.o.Digests {
		hs = sha256.New()
		r = io.TeeReader(src, hs)
	}
	out, reduceErr := fn(f.Path, r)
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if hs != nil { // what the reducer left must still be hashed; otherwise Next skips it
		if w.buf == nil {
			w.buf = make([]byte, 64<<10)
		}
		if _, err := io.CopyBuffer(io.Discard, r, w.buf); err != nil {
			return fmt.Errorf("read content: %w", err)
		}
		f.Digest = fmt.Sprintf("sha256:%x", hs.Sum(nil))
	}
	if reduceErr != nil {
		w.warn(f.Path, "reduce: "+reduceErr.Error())
		return nil
	}
	if out != nil && w.hold(f.Path, int64(len(out))) {
		if w.d.contents == nil {
			w.d.contents = map[string][]byte{}
		}
		w.d.contents[f.Path] = bytes.Clone(out)
	}
	return nil
}

// hold reserves n bytes of the budget for a reduced content, or warns.
func (w *layerWalker) hold(p string, n int64) bool {
	if w.o.budget().reserve(n) {
		return true
	}
	w.warn(p, fmt.Sprintf("the %d-byte budget for held contents is spent; content not kept", w.o.budget().limit))
	return false
}

// ctxReader stops a long read when the walk is cancelled, checking every
// MiB read: one entry's content can be gigabytes.
type ctxReader struct {
	ctx  context.Context
	r    io.Reader
	read int
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if c.read >= 1<<20 {
		c.read = 0
		if err := c.ctx.Err(); err != nil {
			return 0, err
		}
	}
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

// maxScratch is the largest reduce buffer kept for the next file.
const maxScratch = 16 << 20

// reduce runs a request's reducer and returns a copy of what it keeps.
func (w *layerWalker) reduce(fn func(string, []byte) ([]byte, error), p string, content []byte) []byte {
	out, err := fn(p, content)
	if err != nil {
		w.warn(p, "reduce: "+err.Error())
		return nil
	}
	if out == nil {
		return nil
	}
	return bytes.Clone(out)
}

// linkHardlink gives a hardlink its target's size, digest and held content, when the
// target came earlier in the same layer (as tar writers put it).
func (w *layerWalker) linkHardlink(f *File) {
	i, ok := w.index[f.Linkname]
	if !ok {
		w.warn(f.Path, fmt.Sprintf("hardlink target %s is not earlier in this layer", f.Linkname))
		return
	}
	t := &w.d.files[i]
	f.Size, f.Digest = t.Size, t.Digest
	c, ok := w.d.contents[t.Path]
	if !ok {
		return
	}
	if want, _ := w.o.wants(f.Path, &tar.Header{Name: f.Path, Typeflag: tar.TypeLink, Linkname: t.Path}); want {
		w.d.contents[f.Path] = c
	}
}

// isSparse reports a GNU or PAX sparse entry.
func isSparse(h *tar.Header) bool {
	if h.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// release forgets the held content of a path and returns its bytes to the budget.
func (w *layerWalker) release(p string) {
	if c, ok := w.d.contents[p]; ok {
		w.o.budget().release(int64(len(c)))
		delete(w.d.contents, p)
	}
}

// fileMode keeps the permission and special bits of a tar header's mode.
func fileMode(h *tar.Header) Mode { return Mode(h.Mode & 0o7777) }
