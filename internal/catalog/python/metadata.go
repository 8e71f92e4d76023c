package python

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Metadata is what a dist-info METADATA or egg-info PKG-INFO file says.
type Metadata struct {
	Name              string // as declared
	Version           string
	Summary           string
	Author            string
	AuthorEmail       string
	Homepage          string
	License           string   // the License field when it is a short name, not a license text
	LicenseExpression string   // PEP 639
	Classifiers       []string // "License :: …" classifiers only
}

// maxLicenseName is the longest License field taken as a name rather than as the
// text of a license.
const maxLicenseName = 80

const maxLine = 1 << 20

var errNoName = errors.New("no Name or no Version header")

// ParseMetadata parses the headers of a core metadata file (RFC 822 style, up to
// the first blank line). Content that is not UTF-8 is read as Latin-1, as old
// PKG-INFO files written by Python 2 often are.
func ParseMetadata(b []byte) (Metadata, error) {
	if !utf8.Valid(b) {
		b = latin1ToUTF8(b)
	}
	var m Metadata
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var last string
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" {
			break // the body (long description) follows
		}
		if text[0] == ' ' || text[0] == '\t' {
			if last == "license" {
				m.License += "\n" + strings.TrimSpace(text)
			}
			continue
		}
		k, v, ok := strings.Cut(text, ":")
		if !ok {
			return m, fmt.Errorf("line %d: not a header: %q", line, truncate(text))
		}
		last = strings.ToLower(strings.TrimSpace(k))
		m.set(last, strings.TrimSpace(v))
	}
	if err := sc.Err(); err != nil {
		return m, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(m.License) > maxLicenseName || strings.Contains(m.License, "\n") {
		m.License = ""
	}
	if m.Name == "" || m.Version == "" {
		return m, errNoName
	}
	return m, nil
}

func (m *Metadata) set(k, v string) {
	switch k {
	case "name":
		m.Name = v
	case "version":
		m.Version = v
	case "summary":
		m.Summary = v
	case "author":
		m.Author = v
	case "author-email":
		m.AuthorEmail = v
	case "home-page":
		m.Homepage = v
	case "license":
		m.License = v
	case "license-expression":
		m.LicenseExpression = v
	case "classifier":
		if strings.HasPrefix(v, "License ::") {
			m.Classifiers = append(m.Classifiers, v)
		}
	}
}

func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

var separators = regexp.MustCompile(`[-_.]+`)

// Normalize returns the PEP 503 normalised form of a distribution name:
// lower-case, with runs of "-", "_" and "." replaced by one "-".
func Normalize(name string) string {
	return separators.ReplaceAllString(strings.ToLower(name), "-")
}
