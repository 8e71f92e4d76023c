package rpm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"path"
)

// Header tags read from a package header.
const (
	tagName       = 1000
	tagVersion    = 1001
	tagRelease    = 1002
	tagEpoch      = 1003
	tagSize       = 1009
	tagVendor     = 1011
	tagLicense    = 1014
	tagArch       = 1022
	tagSourceRPM  = 1044
	tagDirIndexes = 1116
	tagBaseNames  = 1117
	tagDirNames   = 1118
	tagModularity = 5096

	// Per-file tags, read by ParseFileRecords only.
	tagFileSizes      = 1028
	tagFileStates     = 1029
	tagFileModes      = 1030
	tagFileDigests    = 1035
	tagFileLinkTos    = 1036
	tagFileFlags      = 1037
	tagLongFileSizes  = 5008
	tagFileDigestAlgo = 5011
)

// Entry types of a header's index.
const (
	typeChar        = 1
	typeInt16       = 3
	typeInt32       = 4
	typeInt64       = 5
	typeString      = 6
	typeStringArray = 8
	typeI18NString  = 9
)

// Package is what an rpm header says of an installed package.
type Package struct {
	Name, Version, Release, Arch string
	Epoch                        *int
	SourceRPM, License, Vendor   string
	Size                         int64
	Modularity                   string
	Files                        []string // absolute paths
}

// maxIndexEntries bounds a header's index; real ones have a few hundred.
const maxIndexEntries = 1 << 16

var errShort = errors.New("header truncated")

// ParseHeader parses an rpm package header as the database stores it: the index
// length and data length (big-endian uint32s), the index entries, the data.
func ParseHeader(b []byte) (Package, error) {
	p, _, err := parseHeader(b, false)
	return p, err
}

// parseHeader parses a header; with files, it also reads what the database
// records of each file (digests, sizes, modes, flags, states, link targets).
func parseHeader(b []byte, files bool) (Package, *fileTags, error) {
	if len(b) < 8 {
		return Package{}, nil, errShort
	}
	il, dl := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if il > maxIndexEntries || uint64(8)+uint64(il)*16+uint64(dl) > uint64(len(b)) {
		return Package{}, nil, fmt.Errorf("header claims %d entries and %d data bytes in %d bytes: %w", il, dl, len(b), errShort)
	}
	h := header{index: b[8 : 8+il*16], data: b[8+il*16 : 8+il*16+dl]}
	var p Package
	var dirIndexes []int32
	var baseNames, dirNames []string
	var ft *fileTags
	if files {
		ft = &fileTags{}
	}
	for i := 0; i < int(il); i++ {
		e := h.entry(i)
		if ft != nil {
			ft.read(h, e)
		}
		switch e.tag {
		case tagName:
			p.Name = h.str(e)
		case tagVersion:
			p.Version = h.str(e)
		case tagRelease:
			p.Release = h.str(e)
		case tagArch:
			p.Arch = h.str(e)
		case tagSourceRPM:
			p.SourceRPM = h.str(e)
		case tagLicense:
			p.License = h.str(e)
		case tagVendor:
			p.Vendor = h.str(e)
		case tagModularity:
			p.Modularity = h.str(e)
		case tagEpoch:
			if v := h.int32s(e); len(v) > 0 {
				n := int(v[0])
				p.Epoch = &n
			}
		case tagSize:
			if v := h.int32s(e); len(v) > 0 {
				p.Size = int64(uint32(v[0]))
			}
		case tagDirIndexes:
			dirIndexes = h.int32s(e)
		case tagBaseNames:
			baseNames = h.strs(e)
		case tagDirNames:
			dirNames = h.strs(e)
		}
	}
	if p.Name == "" || p.Version == "" {
		return p, nil, errors.New("header has no name or no version")
	}
	for i, base := range baseNames {
		if i < len(dirIndexes) && int(dirIndexes[i]) >= 0 && int(dirIndexes[i]) < len(dirNames) {
			p.Files = append(p.Files, path.Clean("/"+dirNames[dirIndexes[i]]+base))
			if ft != nil {
				ft.index = append(ft.index, i)
			}
		}
	}
	return p, ft, nil
}

type header struct{ index, data []byte }

type indexEntry struct {
	tag, typ uint32
	offset   uint32
	count    uint32
}

func (h header) entry(i int) indexEntry {
	e := h.index[i*16:]
	return indexEntry{tag: binary.BigEndian.Uint32(e), typ: binary.BigEndian.Uint32(e[4:]),
		offset: binary.BigEndian.Uint32(e[8:]), count: binary.BigEndian.Uint32(e[12:])}
}

// str reads a STRING or the first of an I18NSTRING or STRING_ARRAY; "" when the
// entry is of another type or out of bounds.
func (h header) str(e indexEntry) string {
	if e.typ != typeString && e.typ != typeI18NString && e.typ != typeStringArray {
		return ""
	}
	s := h.strs(indexEntry{tag: e.tag, typ: typeStringArray, offset: e.offset, count: 1})
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// strs reads count NUL-terminated strings.
func (h header) strs(e indexEntry) []string {
	if e.typ != typeStringArray && e.typ != typeString && e.typ != typeI18NString {
		return nil
	}
	if uint64(e.offset) >= uint64(len(h.data)) || e.count > uint32(len(h.data)) {
		return nil
	}
	rest := h.data[e.offset:]
	out := make([]string, 0, e.count)
	for range e.count {
		end := bytes.IndexByte(rest, 0)
		if end < 0 {
			return out
		}
		out = append(out, string(rest[:end]))
		rest = rest[end+1:]
	}
	return out
}

// int16s reads count big-endian 16-bit integers.
func (h header) int16s(e indexEntry) []uint16 {
	if e.typ != typeInt16 || uint64(e.offset)+uint64(e.count)*2 > uint64(len(h.data)) {
		return nil
	}
	out := make([]uint16, e.count)
	for i := range out {
		out[i] = binary.BigEndian.Uint16(h.data[int(e.offset)+i*2:])
	}
	return out
}

// int64s reads count big-endian 64-bit integers.
func (h header) int64s(e indexEntry) []int64 {
	if e.typ != typeInt64 || uint64(e.offset)+uint64(e.count)*8 > uint64(len(h.data)) {
		return nil
	}
	out := make([]int64, e.count)
	for i := range out {
		out[i] = int64(binary.BigEndian.Uint64(h.data[int(e.offset)+i*8:]))
	}
	return out
}

// chars reads count bytes of a CHAR array.
func (h header) chars(e indexEntry) []byte {
	if e.typ != typeChar || uint64(e.offset)+uint64(e.count) > uint64(len(h.data)) {
		return nil
	}
	return h.data[e.offset : e.offset+e.count]
}

func (h header) int32s(e indexEntry) []int32 {
	if e.typ != typeInt32 || uint64(e.offset)+uint64(e.count)*4 > uint64(len(h.data)) {
		return nil
	}
	out := make([]int32, e.count)
	for i := range out {
		out[i] = int32(binary.BigEndian.Uint32(h.data[int(e.offset)+i*4:]))
	}
	return out
}
