package golang

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
)

// The build information a Go 1.18+ linker writes into .go.buildinfo: a 32-byte
// header starting with this magic at a 16-byte-aligned offset, then — when flag
// bit 1 says the strings are inline — the toolchain version and the module
// information, each a uvarint length and its bytes. The module information is
// wrapped in 16-byte sentinels on each side.
var buildInfoMagic = []byte("\xff Go buildinf:")

const (
	buildInfoHeader = 32
	flagInline      = 2
	maxVersion      = 256
	maxModInfo      = 4 << 20
	scanChunk       = 256 << 10
)

// errOldFormat reports build information in the pre-1.18 form, whose strings are
// reached through pointers and cannot be read from a stream.
var errOldFormat = errors.New("Go build information in the pre-1.18 pointer form")

// ScanBuildInfo reads an executable front to back looking for Go build
// information, holding at most a chunk and the module text in memory, and returns
// the toolchain version and the module information text (debug.ParseBuildInfo's
// input). ok is false for a file that holds none.
func ScanBuildInfo(r io.Reader) (goVersion, modinfo string, ok bool, err error) {
	s := &scanner{r: r}
	sawOld := false
	for {
		more, rerr := s.fill(len(s.buf) + scanChunk)
		for i := 0; ; {
			j := bytes.Index(s.buf[i:], buildInfoMagic)
			if j < 0 {
				break
			}
			pos := i + j
			if (s.base+int64(pos))%16 == 0 {
				v, m, found, perr := s.parse(pos)
				if errors.Is(perr, errOldFormat) {
					sawOld = true
				} else if found || perr != nil {
					return v, m, found, perr
				}
			}
			i = pos + 1
		}
		if !more {
			if rerr == nil && sawOld {
				rerr = errOldFormat
			}
			return "", "", false, rerr
		}
		s.keepTail(len(buildInfoMagic) - 1)
	}
}

type scanner struct {
	r    io.Reader
	buf  []byte
	base int64 // file offset of buf[0]
	eof  bool
	err  error
}

// fill reads until buf holds n bytes or the file ends; more is false at the end.
func (s *scanner) fill(n int) (more bool, err error) {
	for len(s.buf) < n && !s.eof {
		if cap(s.buf) < n {
			nb := make([]byte, len(s.buf), n)
			copy(nb, s.buf)
			s.buf = nb
		}
		m, err := s.r.Read(s.buf[len(s.buf):n])
		s.buf = s.buf[:len(s.buf)+m]
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.eof, s.err = true, err
		}
	}
	return !s.eof, s.err
}

func (s *scanner) keepTail(n int) {
	if len(s.buf) <= n {
		return
	}
	drop := len(s.buf) - n
	s.base += int64(drop)
	s.buf = append(s.buf[:0], s.buf[drop:]...)
}

// parse reads the header and inline strings at pos; found is false when what
// follows the magic is not build information (a string constant that happens to
// hold the magic, say).
func (s *scanner) parse(pos int) (goVersion, modinfo string, found bool, err error) {
	if _, err := s.fill(pos + buildInfoHeader + 2*binary.MaxVarintLen64); err != nil {
		return "", "", false, err
	}
	if len(s.buf) < pos+buildInfoHeader {
		return "", "", false, nil
	}
	ptrSize, flags := s.buf[pos+14], s.buf[pos+15]
	if ptrSize != 4 && ptrSize != 8 {
		return "", "", false, nil
	}
	if flags&flagInline == 0 {
		return "", "", false, errOldFormat
	}
	off := pos + buildInfoHeader
	version, off, ok := s.str(off, maxVersion)
	if !ok || !strings.HasPrefix(version, "go") {
		return "", "", false, nil
	}
	mod, _, ok := s.str(off, maxModInfo)
	if !ok {
		return "", "", false, nil
	}
	if len(mod) >= 33 && mod[len(mod)-17] == '\n' {
		mod = mod[16 : len(mod)-16]
	} else {
		mod = "" // built without module support: the toolchain version is all there is
	}
	return version, mod, true, nil
}

// str reads a uvarint-prefixed string at off, of at most max bytes.
func (s *scanner) str(off, max int) (string, int, bool) {
	if _, err := s.fill(off + binary.MaxVarintLen64); err != nil {
		return "", 0, false
	}
	n, w := binary.Uvarint(s.buf[off:min(len(s.buf), off+binary.MaxVarintLen64)])
	if w <= 0 || n > uint64(max) {
		return "", 0, false
	}
	end := off + w + int(n)
	if _, err := s.fill(end); err != nil || len(s.buf) < end {
		return "", 0, false
	}
	return string(s.buf[off+w : end]), end, true
}
