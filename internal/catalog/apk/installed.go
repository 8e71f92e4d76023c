package apk

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// Entry is one package of an apk installed database.
type Entry struct {
	Name          string
	Version       string
	Architecture  string
	Origin        string
	License       string
	Maintainer    string
	InstalledSize int64
	Checksum      string
	Commit        string
	Files         []string // absolute paths, from F: directories and R: files
	// Records are what the database says of each file (a: owner and mode,
	// Z: checksum), in the order of Files; only ParseInstalledFiles fills
	// them, so cataloging does not hold them.
	Records []FileRecord
}

// FileRecord is what the installed database records of one file.
type FileRecord struct {
	Path string
	// UID, GID and Mode are from the file's a: line; without one apk
	// installed it 0:0 and 0644.
	UID, GID int
	Mode     uint32
	// Checksum is the Z: line as written ("Q1" and base64 SHA-1 for apk 2);
	// "" when there is none. ParseChecksum decodes it.
	Checksum string
}

func (e *Entry) key() string { return e.Name + "\x00" + e.Version + "\x00" + e.Architecture }

const maxLine = 1 << 20

// ParseInstalled parses /lib/apk/db/installed: stanzas of "K:value" lines separated
// by blank lines. A malformed stanza is skipped and reported in problems.
func ParseInstalled(b []byte) (entries []Entry, problems []error) {
	return parseInstalled(b, false)
}

// ParseInstalledFiles parses the installed database as ParseInstalled does and
// also keeps each file's record (owner, mode, checksum) for verification.
func ParseInstalledFiles(b []byte) (entries []Entry, problems []error) {
	return parseInstalled(b, true)
}

func parseInstalled(b []byte, records bool) (entries []Entry, problems []error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var e *Entry
	var dir string
	var bad error
	line, start := 0, 0
	flush := func() {
		if e == nil {
			return
		}
		switch {
		case bad != nil:
			problems = append(problems, fmt.Errorf("stanza at line %d: %w", start, bad))
		case e.Name == "":
			problems = append(problems, fmt.Errorf("stanza at line %d: no P: (name) field", start))
		case e.Version == "":
			problems = append(problems, fmt.Errorf("stanza at line %d: package %q: no V: (version) field", start, e.Name))
		default:
			entries = append(entries, *e)
		}
		e, dir, bad = nil, "", nil
	}
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			flush()
			continue
		}
		if e == nil {
			e, start = &Entry{}, line
		}
		if len(text) < 2 || text[1] != ':' {
			if bad == nil {
				bad = fmt.Errorf("line %d: not a K:value field: %q", line, truncate(text))
			}
			continue
		}
		err := e.set(text[0], text[2:], &dir)
		if err == nil && records {
			err = e.setRecord(text[0], text[2:])
		}
		if err != nil && bad == nil {
			bad = fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, fmt.Errorf("line %d: %w", line+1, err))
	}
	flush()
	return entries, problems
}

func (e *Entry) set(k byte, v string, dir *string) error {
	switch k {
	case 'P':
		e.Name = v
	case 'V':
		e.Version = v
	case 'A':
		e.Architecture = v
	case 'o':
		e.Origin = v
	case 'L':
		e.License = v
	case 'm':
		e.Maintainer = v
	case 'C':
		e.Checksum = v
	case 'c':
		e.Commit = v
	case 'I':
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("I: %q is not a size", v)
		}
		e.InstalledSize = n
	case 'F':
		*dir = path.Clean("/" + v)
	case 'R':
		if v != "" {
			e.Files = append(e.Files, path.Join("/", *dir, v))
		}
	}
	return nil
}

// setRecord keeps the R:, a: and Z: lines; a: and Z: describe the last R:.
func (e *Entry) setRecord(k byte, v string) error {
	switch k {
	case 'R':
		if v != "" {
			e.Records = append(e.Records, FileRecord{Path: e.Files[len(e.Files)-1], Mode: 0o644})
		}
	case 'a':
		if len(e.Records) == 0 {
			return errors.New("a: before any R: file")
		}
		r := &e.Records[len(e.Records)-1]
		var err error
		if r.UID, r.GID, r.Mode, err = parseACL(v); err != nil {
			return err
		}
	case 'Z':
		if len(e.Records) == 0 {
			return errors.New("Z: before any R: file")
		}
		e.Records[len(e.Records)-1].Checksum = v
	}
	return nil
}

// parseACL reads an a: value, uid:gid:mode[:xattr checksum], the mode in octal.
func parseACL(v string) (uid, gid int, mode uint32, err error) {
	f := strings.Split(v, ":")
	if len(f) < 3 || len(f) > 4 {
		return 0, 0, 0, fmt.Errorf("a: %q is not uid:gid:mode", truncate(v))
	}
	u, err1 := strconv.ParseUint(f[0], 10, 31)
	g, err2 := strconv.ParseUint(f[1], 10, 31)
	m, err3 := strconv.ParseUint(f[2], 8, 32)
	if err1 != nil || err2 != nil || err3 != nil || m > 0o7777 {
		return 0, 0, 0, fmt.Errorf("a: %q is not uid:gid:mode", truncate(v))
	}
	return int(u), int(g), uint32(m), nil
}

// Checksum algorithms of Z: lines.
const (
	ChecksumMD5    = "md5"
	ChecksumSHA1   = "sha1"
	ChecksumSHA256 = "sha256"
)

// ParseChecksum decodes a Z: checksum: "Q1" then the base64 of a SHA-1 (what
// apk 2 writes), "Q2" then the base64 of a SHA-256, or 32 hexadecimal digits of
// an MD5 (the oldest databases).
func ParseChecksum(z string) (alg string, sum []byte, err error) {
	if len(z) == 32 {
		if sum, err = hex.DecodeString(z); err == nil {
			return ChecksumMD5, sum, nil
		}
	}
	want := map[string]int{"Q1": sha1.Size, "Q2": sha256.Size}
	algs := map[string]string{"Q1": ChecksumSHA1, "Q2": ChecksumSHA256}
	if len(z) < 2 || want[z[:2]] == 0 {
		return "", nil, fmt.Errorf("checksum %q is neither Q1 (SHA-1), Q2 (SHA-256) nor an MD5", truncate(z))
	}
	sum, err = base64.StdEncoding.DecodeString(z[2:])
	if err != nil || len(sum) != want[z[:2]] {
		return "", nil, fmt.Errorf("checksum %q: not the base64 of a %d-byte digest", truncate(z), want[z[:2]])
	}
	return algs[z[:2]], sum, nil
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
