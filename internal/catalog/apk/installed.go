package apk

import (
	"bufio"
	"bytes"
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
}

func (e *Entry) key() string { return e.Name + "\x00" + e.Version + "\x00" + e.Architecture }

const maxLine = 1 << 20

// ParseInstalled parses /lib/apk/db/installed: stanzas of "K:value" lines separated
// by blank lines. A malformed stanza is skipped and reported in problems.
func ParseInstalled(b []byte) (entries []Entry, problems []error) {
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
		if err := e.set(text[0], text[2:], &dir); err != nil && bad == nil {
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

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
