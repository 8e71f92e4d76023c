package dpkg

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Entry is one package stanza of a dpkg status database.
type Entry struct {
	Package       string
	Version       string
	Architecture  string
	Source        string // source package; the package's own name when the field is absent
	SourceVersion string // the version when the field gives none
	InstalledSize int64  // KiB
	Maintainer    string
	Depends       string
	Status        string
}

// Installed reports whether dpkg considers the package installed: the third word
// of Status is "installed". A stanza without Status (some distroless status.d
// files) counts as installed.
func (e *Entry) Installed() bool {
	if e.Status == "" {
		return true
	}
	f := strings.Fields(e.Status)
	return len(f) == 3 && f[2] == "installed"
}

// key identifies the exact package a stanza describes.
func (e *Entry) key() string { return e.Package + "\x00" + e.Version + "\x00" + e.Architecture }

// maxLine bounds one line of a status file; real ones are far shorter.
const maxLine = 1 << 20

// ParseStatus parses a dpkg status file (deb822 stanzas separated by blank lines).
// A malformed stanza is skipped and reported in problems; the others are returned.
func ParseStatus(b []byte) (entries []Entry, problems []error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var fields map[string]string
	var last string
	line, start := 0, 0
	var bad error
	flush := func() {
		if fields != nil {
			e, err := entryFrom(fields)
			switch {
			case bad != nil:
				problems = append(problems, fmt.Errorf("stanza at line %d: %w", start, bad))
			case err != nil:
				problems = append(problems, fmt.Errorf("stanza at line %d: %w", start, err))
			default:
				entries = append(entries, e)
			}
		}
		fields, last, bad = nil, "", nil
	}
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			flush()
			continue
		}
		if fields == nil {
			fields, start = map[string]string{}, line
		}
		if text[0] == ' ' || text[0] == '\t' {
			if last == "" && bad == nil {
				bad = fmt.Errorf("line %d: continuation line without a field", line)
			}
			continue // continuation: only multi-line fields we do not keep
		}
		k, v, ok := strings.Cut(text, ":")
		if !ok || k == "" {
			if bad == nil {
				bad = fmt.Errorf("line %d: not a field: %q", line, truncate(text))
			}
			continue
		}
		last = k
		fields[strings.ToLower(k)] = strings.TrimSpace(v)
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, fmt.Errorf("line %d: %w", line+1, err))
	}
	flush()
	return entries, problems
}

func entryFrom(f map[string]string) (Entry, error) {
	e := Entry{
		Package: f["package"], Version: f["version"], Architecture: f["architecture"],
		Maintainer: f["maintainer"], Depends: f["depends"], Status: f["status"],
	}
	if e.Package == "" {
		return e, fmt.Errorf("no Package field")
	}
	if e.Version == "" {
		return e, fmt.Errorf("package %q: no Version field", e.Package)
	}
	e.Source, e.SourceVersion = e.Package, e.Version
	if src := f["source"]; src != "" {
		name, ver, hasVer := strings.Cut(src, " ")
		e.Source = name
		if hasVer {
			ver = strings.TrimSpace(ver)
			if !strings.HasPrefix(ver, "(") || !strings.HasSuffix(ver, ")") {
				return e, fmt.Errorf("package %q: Source %q: version not in parentheses", e.Package, src)
			}
			e.SourceVersion = strings.TrimSpace(ver[1 : len(ver)-1])
		}
	}
	if s := f["installed-size"]; s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return e, fmt.Errorf("package %q: Installed-Size %q is not a size", e.Package, s)
		}
		e.InstalledSize = n
	}
	return e, nil
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
