package rpm

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"slices"
)

// The NDB layout of rpm's Packages.db (SUSE, rpm 4.15 and later), all integers
// little-endian:
//   - a 32-byte file header: "RpmP", version 0, generation, the number of 4096-byte
//     slot pages, the next package index;
//   - the slot pages, 16-byte slots after the file header: "Slot", package index,
//     block offset, block count (in 16-byte blocks; offset 0 is a free slot);
//   - at each slot's block offset a blob: "BlbS", package index, generation, length,
//     the header blob, padding, then a 12-byte tail: adler32 of all before it,
//     length, "BlbE".
const (
	ndbHeaderSize = 32
	ndbSlotSize   = 16
	ndbBlockSize  = 16
	ndbPageSize   = 4096
	ndbBlobHead   = 16
	ndbBlobTail   = 12

	ndbMagic     = 'R' | 'p'<<8 | 'm'<<16 | 'P'<<24
	ndbSlotMagic = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
	ndbBlobMagic = 'B' | 'l'<<8 | 'b'<<16 | 'S'<<24
	ndbTailMagic = 'B' | 'l'<<8 | 'b'<<16 | 'E'<<24
)

var errNotNDB = errors.New("not an rpm NDB database")

type ndbSlot struct{ pkgIdx, blkOff, blkCnt uint32 }

// ReadNDB returns the package header blobs of an rpm NDB database (Packages.db)
// held in memory, in package index order. A blob that is damaged is left out and
// named in the error returned with the others; the blobs share db's memory.
func ReadNDB(db []byte) ([][]byte, error) {
	slots, err := ndbSlots(db)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	var errs []error
	budget := len(db) // blobs of an honest database do not overlap
	for _, s := range slots {
		blob, err := ndbBlob(db, s)
		if err != nil {
			errs = append(errs, fmt.Errorf("package index %d: %w", s.pkgIdx, err))
			continue
		}
		if budget -= int(s.blkCnt) * ndbBlockSize; budget < 0 {
			errs = append(errs, errOverBudget)
			break
		}
		out = append(out, blob)
	}
	return out, errors.Join(errs...)
}

// ndbSlots reads the file header and the used slots, sorted by package index.
func ndbSlots(db []byte) ([]ndbSlot, error) {
	le := binary.LittleEndian
	if len(db) < ndbHeaderSize || le.Uint32(db) != ndbMagic {
		return nil, errNotNDB
	}
	if v := le.Uint32(db[4:]); v != 0 {
		return nil, fmt.Errorf("%w: version %d", errNotNDB, v)
	}
	pages := uint64(le.Uint32(db[12:]))
	if pages == 0 || pages*ndbPageSize > uint64(len(db)) {
		return nil, fmt.Errorf("%d slot pages do not fit in %d bytes: truncated database", pages, len(db))
	}
	minBlk := uint32(pages * ndbPageSize / ndbBlockSize) // blobs start after the slot pages
	seen := map[uint32]bool{}
	var slots []ndbSlot
	for o := ndbHeaderSize; o < int(pages)*ndbPageSize; o += ndbSlotSize {
		p := db[o : o+ndbSlotSize]
		if le.Uint32(p) != ndbSlotMagic {
			return nil, fmt.Errorf("slot at byte %d has no slot magic", o)
		}
		s := ndbSlot{pkgIdx: le.Uint32(p[4:]), blkOff: le.Uint32(p[8:]), blkCnt: le.Uint32(p[12:])}
		if s.blkOff == 0 {
			continue // free
		}
		if s.pkgIdx == 0 || s.blkCnt == 0 || s.blkOff < minBlk || seen[s.pkgIdx] {
			return nil, fmt.Errorf("slot at byte %d is invalid (package index %d, blocks %d+%d)", o, s.pkgIdx, s.blkOff, s.blkCnt)
		}
		seen[s.pkgIdx] = true
		slots = append(slots, s)
	}
	slices.SortFunc(slots, func(a, b ndbSlot) int { return cmp.Compare(a.pkgIdx, b.pkgIdx) })
	return slots, nil
}

// ndbBlob checks the blob a slot points to and returns the header blob in it.
func ndbBlob(db []byte, s ndbSlot) ([]byte, error) {
	le := binary.LittleEndian
	start, size := uint64(s.blkOff)*ndbBlockSize, uint64(s.blkCnt)*ndbBlockSize
	if start+size > uint64(len(db)) {
		return nil, fmt.Errorf("blob at byte %d of %d bytes runs past the end of the %d-byte file", start, size, len(db))
	}
	if size < ndbBlobHead+ndbBlobTail {
		return nil, fmt.Errorf("blob of %d bytes is too small", size)
	}
	b := db[start : start+size]
	if le.Uint32(b) != ndbBlobMagic || le.Uint32(b[4:]) != s.pkgIdx {
		return nil, errors.New("no blob header for this package at its offset")
	}
	n := uint64(le.Uint32(b[12:]))
	if (ndbBlobHead+n+ndbBlobTail+ndbBlockSize-1)/ndbBlockSize != uint64(s.blkCnt) {
		return nil, fmt.Errorf("blob of %d bytes does not fill its %d blocks", n, s.blkCnt)
	}
	tail := b[size-ndbBlobTail:]
	if le.Uint32(tail[4:]) != uint32(n) || le.Uint32(tail[8:]) != ndbTailMagic {
		return nil, errors.New("blob tail is missing or disagrees on the length")
	}
	if le.Uint32(tail) != adler32.Checksum(b[:size-ndbBlobTail]) {
		return nil, errors.New("blob checksum mismatch")
	}
	return b[ndbBlobHead : ndbBlobHead+n : ndbBlobHead+n], nil
}
