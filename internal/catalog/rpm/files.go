package rpm

import (
	"context"
	"strings"
)

// Digest algorithms of FILEDIGESTALGO (OpenPGP hash algorithm numbers). A
// header without the tag has MD5 digests, as rpm before 4.6 wrote them.
const (
	DigestMD5    = 1
	DigestSHA1   = 2
	DigestSHA256 = 8
	DigestSHA384 = 9
	DigestSHA512 = 10
	DigestSHA224 = 11
)

// File flags of FILEFLAGS that verification cares about.
const (
	FileConfig = 1 << 0 // %config
	FileDoc    = 1 << 1 // %doc
	FileGhost  = 1 << 6 // %ghost: not in the package payload
)

// FileStateNormal is the FILESTATES value of a file rpm installed; other
// states are replaced, not installed (--excludedocs, tsflags=nodocs, %lang),
// net shared and wrong colour.
const FileStateNormal = 0

// File type bits of FILEMODES (st_mode).
const (
	ModeTypeMask = 0o170000
	ModeRegular  = 0o100000
	ModeDir      = 0o040000
	ModeSymlink  = 0o120000
)

// FileRecord is what the rpm database records of one file of a package, the
// facts rpm -V checks.
type FileRecord struct {
	Path string
	// Digest is the content digest in lower-case hex ("" for directories,
	// symlinks and %ghost files), computed with Algo.
	Digest string
	Algo   int
	// Size is the file size; -1 when the header records none.
	Size int64
	// Mode is st_mode, type bits included; 0 when the header records none.
	Mode   uint16
	Flags  uint32
	State  int // FileStateNormal, or -1 when the header records no states
	LinkTo string
}

// fileTags collects the per-file arrays of a header; index maps each file of
// Package.Files to its position in those arrays.
type fileTags struct {
	sizes   []int64
	states  []byte
	modes   []uint16
	digests []string
	links   []string
	flags   []int32
	algo    int
	index   []int
}

func (ft *fileTags) read(h header, e indexEntry) {
	switch e.tag {
	case tagFileSizes:
		if ft.sizes == nil {
			for _, v := range h.int32s(e) {
				ft.sizes = append(ft.sizes, int64(uint32(v)))
			}
		}
	case tagLongFileSizes:
		ft.sizes = h.int64s(e) // preferred over FILESIZES
	case tagFileStates:
		ft.states = h.chars(e)
	case tagFileModes:
		ft.modes = h.int16s(e)
	case tagFileDigests:
		ft.digests = h.strs(e)
	case tagFileLinkTos:
		ft.links = h.strs(e)
	case tagFileFlags:
		ft.flags = h.int32s(e)
	case tagFileDigestAlgo:
		if v := h.int32s(e); len(v) > 0 {
			ft.algo = int(v[0])
		}
	}
}

// ParseFileRecords parses a package header and what it records of each file.
// Arrays shorter than the file list (a damaged header) leave the missing facts
// unknown: empty digest, size -1, mode 0, state -1.
func ParseFileRecords(b []byte) (Package, []FileRecord, error) {
	p, ft, err := parseHeader(b, true)
	if err != nil {
		return p, nil, err
	}
	algo := ft.algo
	if algo == 0 {
		algo = DigestMD5
	}
	out := make([]FileRecord, 0, len(p.Files))
	for k, file := range p.Files {
		i := ft.index[k]
		r := FileRecord{Path: file, Algo: algo, Size: -1, State: -1}
		if i < len(ft.digests) {
			r.Digest = strings.ToLower(ft.digests[i])
		}
		if i < len(ft.sizes) {
			r.Size = ft.sizes[i]
		}
		if i < len(ft.modes) {
			r.Mode = ft.modes[i]
		}
		if i < len(ft.flags) {
			r.Flags = uint32(ft.flags[i])
		}
		if i < len(ft.states) {
			r.State = int(int8(ft.states[i]))
		}
		if i < len(ft.links) {
			r.LinkTo = ft.links[i]
		}
		out = append(out, r)
	}
	return p, out, nil
}

// Databases lists the paths of the rpm database files, in every form.
func Databases() []string {
	var paths []string
	for _, d := range dbDirs {
		paths = append(paths, d+"/rpmdb.sqlite", d+"/Packages", d+"/Packages.db")
	}
	return paths
}

// ReadDB returns the header blobs of the database file at p (its form is
// told by its name), held in memory as b. A damaged database may give some
// blobs with an error.
func ReadDB(ctx context.Context, p string, b []byte) ([][]byte, error) {
	return readDB(ctx, p, b)
}

// Superseded reports whether rpm reads another database instead of the one at
// p: a form a migration left behind beside the new one. exists says whether a
// path is in the image.
func Superseded(p string, exists func(string) bool) bool {
	dir, base := p[:strings.LastIndexByte(p, '/')+1], p[strings.LastIndexByte(p, '/')+1:]
	for _, other := range superseded[base] {
		if exists(dir + other) {
			return true
		}
	}
	return false
}
