package imagetest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"iter"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/compress/zstd"
)

// Compression is how a layer blob is compressed.
type Compression int

// Layer compressions. Gzip is the zero value and the default.
const (
	Gzip Compression = iota
	Zstd
	Uncompressed
)

// String returns the compression's name.
func (c Compression) String() string {
	switch c {
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	case Uncompressed:
		return "uncompressed"
	}
	return fmt.Sprintf("Compression(%d)", int(c))
}

// Layer is one layer of an [Image].
type Layer struct {
	// Entries are the layer's tar entries, in order.
	Entries []Entry
	// Generate, when non-nil, yields more entries after Entries. The layer
	// is streamed through the compressor, so a generator can produce a very
	// large layer without holding its entries (see [LargeEmptyFiles]).
	Generate iter.Seq[Entry]
	// CreatedBy and Comment go into the layer's history entry.
	CreatedBy string
	Comment   string
	// HistoryBefore are extra history entries placed just before this
	// layer's own entry: the empty_layer steps (ENV, USER, LABEL…) that a
	// Dockerfile runs between two layer-producing steps. EmptyLayer is set
	// on each, and a zero Created becomes the image's.
	HistoryBefore []v1.History
	// Compression of the blob; ignored for the tar when Raw is set, but
	// still used to derive the diffID from Raw (see Raw).
	Compression Compression
	// Raw, when non-nil, is the layer blob verbatim (Entries and Generate
	// are ignored). Its digest is the sha256 of Raw; its diffID is the
	// sha256 of Raw decompressed with Compression when that succeeds, else
	// the sha256 of Raw itself, unless DiffID overrides it.
	Raw []byte
	// DiffID, when set, overrides the diffID the config records for this
	// layer.
	DiffID v1.Hash
	// MediaType, when set, overrides the descriptor's media type (e.g.
	// types.OCIRestrictedLayer or types.DockerForeignLayer).
	MediaType types.MediaType
	// URLs go into the layer descriptor (foreign layers carry them).
	URLs []string
}

// builtLayer is a layer blob held in memory. It implements v1.Layer.
type builtLayer struct {
	blob        []byte
	compression Compression
	digest      v1.Hash
	diffID      v1.Hash
	mediaType   types.MediaType
	urls        []string
}

var _ v1.Layer = (*builtLayer)(nil)

// Digest returns the sha256 of the blob.
func (l *builtLayer) Digest() (v1.Hash, error) { return l.digest, nil }

// DiffID returns the sha256 of the uncompressed tar.
func (l *builtLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }

// Compressed returns the blob as stored.
func (l *builtLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.blob)), nil
}

// Uncompressed returns the tar stream, decompressing the blob.
func (l *builtLayer) Uncompressed() (io.ReadCloser, error) {
	return decompress(l.blob, l.compression)
}

// Size returns the blob's size.
func (l *builtLayer) Size() (int64, error) { return int64(len(l.blob)), nil }

// MediaType returns the descriptor's media type.
func (l *builtLayer) MediaType() (types.MediaType, error) { return l.mediaType, nil }

// build compresses the layer's tar stream, computing digest and diffID.
func (l Layer) build(docker bool) (*builtLayer, error) {
	bl := &builtLayer{compression: l.Compression, urls: l.URLs}
	switch {
	case l.Raw != nil:
		bl.blob = l.Raw
		bl.diffID = rawDiffID(l.Raw, l.Compression)
	default:
		var err error
		bl.blob, bl.diffID, err = compressTar(l.entries(), l.Compression)
		if err != nil {
			return nil, err
		}
	}
	bl.digest = sha256Hash(bl.blob)
	if l.DiffID != (v1.Hash{}) {
		bl.diffID = l.DiffID
	}
	bl.mediaType = l.MediaType
	if bl.mediaType == "" {
		bl.mediaType = layerMediaType(l.Compression, docker)
	}
	return bl, nil
}

// entries yields Entries and then whatever Generate yields.
func (l Layer) entries() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for _, e := range l.Entries {
			if !yield(e) {
				return
			}
		}
		if l.Generate != nil {
			l.Generate(yield)
		}
	}
}

// compressTar writes the tar of seq through the compressor and returns the
// blob and the sha256 of the uncompressed tar.
func compressTar(seq iter.Seq[Entry], c Compression) ([]byte, v1.Hash, error) {
	var blob bytes.Buffer
	zw, err := compressor(&blob, c)
	if err != nil {
		return nil, v1.Hash{}, err
	}
	h := sha256.New()
	if err := writeTar(io.MultiWriter(h, zw), seq); err != nil {
		return nil, v1.Hash{}, err
	}
	if err := zw.Close(); err != nil {
		return nil, v1.Hash{}, fmt.Errorf("close %s writer: %w", c, err)
	}
	return blob.Bytes(), v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}, nil
}

// compressor returns a deterministic writer for c: gzip without name or
// modification time, zstd with a single encoder goroutine.
func compressor(w io.Writer, c Compression) (io.WriteCloser, error) {
	switch c {
	case Gzip:
		return gzip.NewWriter(w), nil
	case Zstd:
		zw, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("new zstd writer: %w", err)
		}
		return zw, nil
	case Uncompressed:
		return nopWriteCloser{w}, nil
	}
	return nil, fmt.Errorf("unknown compression %d", int(c))
}

// decompress returns a reader of blob decompressed with c.
func decompress(blob []byte, c Compression) (io.ReadCloser, error) {
	r := bytes.NewReader(blob)
	switch c {
	case Gzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gzip reader: %w", err)
		}
		return zr, nil
	case Zstd:
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd reader: %w", err)
		}
		return zr.IOReadCloser(), nil
	case Uncompressed:
		return io.NopCloser(r), nil
	}
	return nil, fmt.Errorf("unknown compression %d", int(c))
}

// rawDiffID is the sha256 of raw decompressed with c, or of raw itself when
// it does not decompress.
func rawDiffID(raw []byte, c Compression) v1.Hash {
	rc, err := decompress(raw, c)
	if err != nil {
		return sha256Hash(raw)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return sha256Hash(raw)
	}
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
}

// layerMediaType is the default media type of a layer.
func layerMediaType(c Compression, docker bool) types.MediaType {
	switch {
	case docker && c == Uncompressed:
		return types.DockerUncompressedLayer
	case docker && c == Gzip:
		return types.DockerLayer
	case c == Uncompressed:
		return types.OCIUncompressedLayer
	case c == Zstd:
		// Docker has no zstd type of its own; it writes the OCI one.
		return types.OCILayerZStd
	}
	return types.OCILayer
}

// sha256Hash is the sha256 v1.Hash of b.
func sha256Hash(b []byte) v1.Hash {
	sum := sha256.Sum256(b)
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(sum[:])}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
