// Command floor is the lower bound for reading an image: it decompresses every
// layer of an OCI layout concurrently — one goroutine per layer, at most GOMAXPROCS
// at once, with klauspost/compress's gzip — and discards the bytes. No tar parsing,
// no hashing, no file index: what is left once those are gone.
//
// Usage:
//
//	floor LAYOUT
//
// It prints one line per layer and a total to stderr.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/klauspost/compress/gzip"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floor LAYOUT")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// layerResult is what inflating one layer took.
type layerResult struct {
	stored, inflated int64
	took             time.Duration
	err              error
}

func run(dir string) error {
	start := time.Now()
	opens, err := layerBlobs(dir)
	if err != nil {
		return err
	}
	results := make([]layerResult, len(opens))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, open := range opens {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = inflate(open)
		})
	}
	wg.Wait()
	var total int64
	for i, r := range results {
		if r.err != nil {
			return fmt.Errorf("layer %d: %w", i, r.err)
		}
		total += r.inflated
		fmt.Fprintf(os.Stderr, "layer %d: %d stored, %d inflated, %s\n", i, r.stored, r.inflated, r.took.Round(time.Millisecond))
	}
	fmt.Fprintf(os.Stderr, "total: %d inflated in %s\n", total, time.Since(start).Round(time.Millisecond))
	return nil
}

// layerBlobs finds the image of the layout (its first manifest) and returns an
// opener for each layer blob as stored.
func layerBlobs(dir string) ([]func() (io.ReadCloser, error), error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("open layout: %w", err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	if len(im.Manifests) == 0 {
		return nil, fmt.Errorf("layout %s holds no manifest", dir)
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("read layers: %w", err)
	}
	var opens []func() (io.ReadCloser, error)
	for _, l := range layers {
		opens = append(opens, l.Compressed)
	}
	return opens, nil
}

// inflate decompresses one gzip blob and discards it.
func inflate(open func() (io.ReadCloser, error)) layerResult {
	start := time.Now()
	blob, err := open()
	if err != nil {
		return layerResult{err: err}
	}
	defer blob.Close()
	counted := &countReader{r: blob}
	zr, err := gzip.NewReader(bufio.NewReaderSize(counted, 256<<10))
	if err != nil {
		return layerResult{err: err}
	}
	defer zr.Close()
	n, err := io.Copy(io.Discard, zr)
	return layerResult{stored: counted.n, inflated: n, took: time.Since(start), err: err}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
