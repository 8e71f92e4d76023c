package rpm

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Berkeley DB hash database layout, as libdb 4.x/5.x writes it (the rpm
// "Packages" file of RHEL/CentOS 7 and 8 and Amazon Linux 2).
const (
	bdbHashMagic   = 0x061561
	bdbPageHeader  = 26 // lsn 8, pgno 4, prev 4, next 4, entries 2, hf_offset 2, level 1, type 1
	pageHashMeta   = 8
	pageHash       = 13
	pageHashUnsort = 2
	pageOverflow   = 7
	itemKeyData    = 1
	itemOffPage    = 3
	maxBDBPages    = 1 << 22
)

var errNotBDB = errors.New("not a Berkeley DB hash database")

// ReadBDB returns the data items of a Berkeley DB hash database held in memory:
// for rpm's Packages, the package header blobs (and the small record that counts
// them, which ParseHeader rejects).
func ReadBDB(db []byte) ([][]byte, error) {
	if len(db) < 512 {
		return nil, errNotBDB
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if bo.Uint32(db[12:]) != bdbHashMagic {
		bo = binary.BigEndian
		if bo.Uint32(db[12:]) != bdbHashMagic {
			return nil, errNotBDB
		}
	}
	if db[25] != pageHashMeta {
		return nil, fmt.Errorf("%w: first page is of type %d, not hash metadata", errNotBDB, db[25])
	}
	pageSize := int(bo.Uint32(db[20:]))
	if pageSize < 512 || pageSize > 64<<10 || pageSize&(pageSize-1) != 0 {
		return nil, fmt.Errorf("page size %d is not a power of two from 512 to 65536", pageSize)
	}
	d := bdb{data: db, bo: bo, pageSize: pageSize, pages: len(db) / pageSize, budget: len(db)}
	if d.pages > maxBDBPages {
		return nil, fmt.Errorf("%d pages is more than the %d read", d.pages, maxBDBPages)
	}
	var out [][]byte
	for pg := 1; pg < d.pages; pg++ {
		p := d.page(pg)
		if t := p[25]; t != pageHash && t != pageHashUnsort {
			continue
		}
		items, err := d.hashItems(pg, p)
		out = append(out, items...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// errOverBudget reports items that add up to more than the file holds, which only
// a corrupt or hostile database can make (overflow chains shared between items).
var errOverBudget = errors.New("items add up to more than the file: corrupt database")

type bdb struct {
	data     []byte
	bo       binary.ByteOrder
	pageSize int
	pages    int
	budget   int // bytes of items still allowed: the items of an honest database fit in its file
}

func (d *bdb) page(n int) []byte { return d.data[n*d.pageSize : (n+1)*d.pageSize] }

// hashItems returns the data items (odd entries; even ones are keys) of a hash page.
func (d *bdb) hashItems(pg int, p []byte) ([][]byte, error) {
	entries := int(d.bo.Uint16(p[20:]))
	if bdbPageHeader+2*entries > len(p) {
		return nil, fmt.Errorf("page %d: %d entries do not fit", pg, entries)
	}
	var out [][]byte
	for i := 1; i < entries; i += 2 {
		off := int(d.bo.Uint16(p[bdbPageHeader+2*i:]))
		end := len(p)
		if i > 0 {
			end = int(d.bo.Uint16(p[bdbPageHeader+2*(i-1):])) // items are packed downwards
		}
		if off < bdbPageHeader || off >= len(p) || end > len(p) || end < off {
			return out, fmt.Errorf("page %d: entry %d at %d..%d is outside the page", pg, i, off, end)
		}
		switch p[off] {
		case itemKeyData:
			if d.budget -= end - off - 1; d.budget < 0 {
				return out, errOverBudget
			}
			out = append(out, append([]byte(nil), p[off+1:end]...))
		case itemOffPage:
			if off+12 > len(p) {
				return out, fmt.Errorf("page %d: entry %d: truncated overflow reference", pg, i)
			}
			total := int(d.bo.Uint32(p[off+8:]))
			if d.budget -= total; d.budget < 0 {
				return out, errOverBudget
			}
			b, err := d.overflow(int(d.bo.Uint32(p[off+4:])), total)
			if err != nil {
				return out, fmt.Errorf("page %d: entry %d: %w", pg, i, err)
			}
			out = append(out, b)
		}
	}
	return out, nil
}

// overflow follows a chain of overflow pages and returns total bytes.
func (d *bdb) overflow(pg, total int) ([]byte, error) {
	if total < 0 || total > len(d.data) {
		return nil, fmt.Errorf("overflow item of %d bytes in a %d-byte file", total, len(d.data))
	}
	out := make([]byte, 0, total)
	for seen := 0; len(out) < total; seen++ {
		if pg <= 0 || pg >= d.pages || seen > d.pages {
			return nil, fmt.Errorf("overflow chain reaches page %d of %d", pg, d.pages)
		}
		p := d.page(pg)
		if p[25] != pageOverflow {
			return nil, fmt.Errorf("overflow chain reaches page %d of type %d", pg, p[25])
		}
		n := int(d.bo.Uint16(p[22:])) // hf_offset: bytes used on an overflow page
		if bdbPageHeader+n > len(p) {
			return nil, fmt.Errorf("overflow page %d claims %d bytes", pg, n)
		}
		out = append(out, p[bdbPageHeader:bdbPageHeader+n]...)
		pg = int(d.bo.Uint32(p[16:])) // next_pgno
	}
	return out[:total], nil
}
