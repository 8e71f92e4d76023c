package vulndb

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// File is one OSV JSON document read from a directory, a zip or a feed.
type File struct {
	Name string
	Data []byte
	Err  error // reading this one file failed; it is skipped and counted
}

// Skip records one record that was not stored, and why.
type Skip struct {
	Name string
	Err  string
}

// LoadStats counts what PutAll did.
type LoadStats struct {
	Read    int
	Skipped int
	Skips   []Skip // the first MaxSkips skips
	PutStats
}

// MaxSkips bounds LoadStats.Skips.
const MaxSkips = 100

func (s *LoadStats) skip(name string, err error) {
	s.Skipped++
	if len(s.Skips) < MaxSkips {
		s.Skips = append(s.Skips, Skip{Name: name, Err: err.Error()})
	}
}

// batchSize is how many files travel together between PutAll's goroutines:
// handing items over one by one costs more in wake-ups than the work itself.
const batchSize = 128

// PutAll parses, prepares and stores every file of files, skipping and counting
// those that are not valid OSV. Parsing runs on all CPUs; an error from files'
// iteration (a malformed archive) or from the store stops it and is returned.
func PutAll(ctx context.Context, tx *Tx, files iter.Seq2[File, error]) (LoadStats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan []File, 4)
	out := make(chan []prepared, 4)
	var iterErr error
	go func() {
		defer close(in)
		iterErr = sendBatches(ctx, files, in)
	}()
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prepareBatches(ctx, in, out)
		}()
	}
	go func() { wg.Wait(); close(out) }()
	var st LoadStats
	var putErr error
	for batch := range out {
		for _, r := range batch {
			if putErr != nil {
				break
			}
			st.Read++
			if r.err != nil {
				st.skip(r.name, r.err)
			} else if err := tx.Put(ctx, r.p); err != nil {
				putErr = err
				cancel()
			}
		}
	}
	st.PutStats = tx.Stats
	if putErr != nil {
		return st, putErr
	}
	if iterErr != nil {
		return st, iterErr
	}
	return st, ctx.Err()
}

// prepared is one file after preparing: the record, or why it is skipped.
type prepared struct {
	name string
	p    *Prepared
	err  error
}

// sendBatches sends files to in in batches; it returns the iteration's error.
func sendBatches(ctx context.Context, files iter.Seq2[File, error], in chan<- []File) error {
	batch := make([]File, 0, batchSize)
	send := func() bool {
		select {
		case in <- batch:
			batch = make([]File, 0, batchSize)
			return true
		case <-ctx.Done():
			return false
		}
	}
	for f, err := range files {
		if err != nil {
			return err
		}
		if batch = append(batch, f); len(batch) == batchSize && !send() {
			return nil
		}
	}
	if len(batch) > 0 {
		send()
	}
	return nil
}

// prepareBatches prepares the batches from in, with a Preparer of its own.
func prepareBatches(ctx context.Context, in <-chan []File, out chan<- []prepared) {
	pp := NewPreparer()
	for batch := range in {
		rs := make([]prepared, len(batch))
		for i, f := range batch {
			rs[i] = prepared{name: f.Name, err: f.Err}
			if f.Err == nil {
				rs[i].p, rs[i].err = pp.Prepare(f.Data)
			}
		}
		select {
		case out <- rs:
		case <-ctx.Done():
			return
		}
	}
}

// DirFiles yields every *.json file under dir, in name order.
func DirFiles(dir string) iter.Seq2[File, error] {
	return func(yield func(File, error) bool) {
		var paths []string
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".json") {
				paths = append(paths, p)
			}
			return nil
		})
		if err != nil {
			yield(File{}, fmt.Errorf("read directory %s: %w", dir, err))
			return
		}
		sort.Strings(paths)
		for _, p := range paths {
			f := File{Name: p}
			f.Data, f.Err = readLimited(p)
			if !yield(f, nil) {
				return
			}
		}
	}
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllLimited(f)
}

func readAllLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxRecordSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRecordSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrInvalidRecord, MaxRecordSize)
	}
	return b, nil
}

// ErrMalformedArchive is wrapped by errors for a zip that cannot be read.
var ErrMalformedArchive = errors.New("malformed archive")

// ZipFiles yields every *.json member of a zip. A member whose compressed data
// is corrupt makes the whole archive malformed: the iteration ends with an error
// wrapping ErrMalformedArchive.
func ZipFiles(zr *zip.Reader) iter.Seq2[File, error] {
	return func(yield func(File, error) bool) {
		for _, zf := range zr.File {
			if zf.FileInfo().IsDir() || !strings.HasSuffix(zf.Name, ".json") {
				continue
			}
			f := File{Name: zf.Name}
			if zf.UncompressedSize64 > MaxRecordSize {
				f.Err = fmt.Errorf("%w: %d bytes exceeds the %d byte limit", ErrInvalidRecord, zf.UncompressedSize64, MaxRecordSize)
				if !yield(f, nil) {
					return
				}
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				yield(File{}, fmt.Errorf("%w: %s: %w", ErrMalformedArchive, zf.Name, err))
				return
			}
			f.Data, err = readAllLimited(rc)
			rc.Close()
			if err != nil && !errors.Is(err, ErrInvalidRecord) {
				yield(File{}, fmt.Errorf("%w: %s: %w", ErrMalformedArchive, zf.Name, err))
				return
			}
			f.Err = err
			if !yield(f, nil) {
				return
			}
		}
	}
}
