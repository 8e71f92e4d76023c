package layerfs

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// zstdMaxWindow bounds the memory a hostile zstd frame can make the decoder allocate.
const zstdMaxWindow = 128 << 20

// layerStream is the uncompressed tar stream of one layer blob, hashing both the
// stored bytes and the uncompressed bytes as they pass. Decompression runs in a
// goroutine of its own, ahead of the reader, so one large layer uses two cores: one
// inflating (and hashing the stored bytes, a third the size), the other hashing the
// uncompressed stream, parsing tar entries and hashing file contents.
type layerStream struct {
	io.Reader   // the uncompressed stream, hashed for the diffID as it is read
	ahead       *readahead
	blob        io.ReadCloser
	storedHash  hash.Hash
	storedSize  int64
	diffHash    hash.Hash
	diffSize    int64
	compression string
}

// openStream opens the blob, sniffs its compression and starts decompressing it.
// With hashStored false the stored bytes are only counted, not hashed.
func openStream(blob io.ReadCloser, hashStored bool) (*layerStream, error) {
	s := &layerStream{blob: blob, storedHash: discardHash{}, diffHash: sha256.New()}
	if hashStored {
		s.storedHash = sha256.New()
	}
	counted := &countingReader{r: blob, h: s.storedHash, n: &s.storedSize}
	br := bufio.NewReaderSize(counted, 256<<10)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read blob: %w", err)
	}
	var src io.Reader
	var closeDec func()
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		s.compression, src, closeDec = "gzip", zr, func() { zr.Close() }
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(zstdMaxWindow))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		s.compression, src, closeDec = "zstd", zr, zr.Close
	default:
		s.compression, src, closeDec = "none", br, func() {}
	}
	s.ahead = newReadahead(src, closeDec)
	s.Reader = &countingReader{r: s.ahead, h: s.diffHash, n: &s.diffSize}
	return s, nil
}

// finish drains what the tar reader left (padding, trailing blocks, bytes after the
// end-of-archive marker) so both hashes cover the whole blob, then closes it.
func (s *layerStream) finish() error {
	_, err := io.Copy(io.Discard, s.Reader)
	s.close()
	if err != nil {
		return err
	}
	return nil
}

// close closes the blob first, which unblocks a decoder waiting on it, then stops
// the readahead goroutine.
func (s *layerStream) close() {
	s.blob.Close()
	s.ahead.Close()
}

func (s *layerStream) storedDigest() string { return fmt.Sprintf("sha256:%x", s.storedHash.Sum(nil)) }
func (s *layerStream) diffID() string       { return fmt.Sprintf("sha256:%x", s.diffHash.Sum(nil)) }

// countingReader hashes and counts what it reads.
type countingReader struct {
	r io.Reader
	h hash.Hash
	n *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.h.Write(p[:n])
		*c.n += int64(n)
	}
	return n, err
}

const (
	readaheadBlock = 256 << 10
	readaheadDepth = 4
)

// readahead reads its source in a goroutine, a few blocks ahead of the consumer.
// Memory is bounded by readaheadBlock × (readaheadDepth + 2).
type readahead struct {
	full  chan chunk
	free  chan []byte
	done  chan struct{}
	cur   chunk
	off   int
	err   error
	after func()
}

type chunk struct {
	b   []byte
	err error
}

func newReadahead(src io.Reader, after func()) *readahead {
	r := &readahead{
		full:  make(chan chunk, readaheadDepth),
		free:  make(chan []byte, readaheadDepth+1),
		done:  make(chan struct{}),
		after: after,
	}
	for range readaheadDepth + 1 {
		r.free <- make([]byte, readaheadBlock)
	}
	go r.fill(src)
	return r
}

func (r *readahead) fill(src io.Reader) {
	defer close(r.full)
	for {
		var buf []byte
		select {
		case buf = <-r.free:
		case <-r.done:
			return
		}
		n, err := fillBuffer(src, buf)
		select {
		case r.full <- chunk{b: buf[:n], err: err}:
		case <-r.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// fillBuffer reads until buf is full or src fails, and returns src's own error:
// unlike io.ReadFull it does not turn an inflater's io.ErrUnexpectedEOF (a
// truncated stream) into an ordinary end.
func fillBuffer(src io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := src.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Read implements io.Reader.
func (r *readahead) Read(p []byte) (int, error) {
	for r.off >= len(r.cur.b) {
		if r.err != nil {
			return 0, r.err
		}
		if r.cur.b != nil {
			r.free <- r.cur.b[:cap(r.cur.b)]
			r.cur.b = nil
		}
		c, ok := <-r.full
		if !ok {
			return 0, io.ErrClosedPipe
		}
		r.cur, r.off = c, 0
		if c.err != nil {
			r.err = c.err
		}
	}
	n := copy(p, r.cur.b[r.off:])
	r.off += n
	return n, nil
}

// Close stops the goroutine and waits for it, then releases the decoder.
func (r *readahead) Close() error {
	select {
	case <-r.done:
		return nil
	default:
	}
	close(r.done)
	for range r.full { // drain so fill can exit
	}
	r.after()
	return nil
}

// discardHash stands in for the stored-bytes hash when it is not needed.
type discardHash struct{}

func (discardHash) Write(p []byte) (int, error) { return len(p), nil }
func (discardHash) Sum(b []byte) []byte         { return b }
func (discardHash) Reset()                      {}
func (discardHash) Size() int                   { return 0 }
func (discardHash) BlockSize() int              { return 1 }
