package ruby

import (
	"bufio"
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Spec is what an installed gem specification declares.
type Spec struct {
	Name     string
	Version  string
	Licenses []string
	Authors  []string
	Homepage string
}

var (
	// assignment matches "  s.name = …" with any receiver name.
	assignment = regexp.MustCompile(`^\s*[a-z_]+\.(name|version|licenses|license|authors|author|homepage)\s*=\s*(.*)$`)
	// quoted matches a double- or single-quoted Ruby string literal.
	quoted = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'`)
	// stub is the first-line summary rubygems writes: "# stub: rake 13.0.6 ruby lib".
	stub = regexp.MustCompile(`^# stub: (\S+) (\S+)`)
	// rubyUnicode is Ruby's \u{XXXX} escape.
	rubyUnicode = regexp.MustCompile(`\\u\{([0-9a-fA-F]{1,4})\}`)
)

var errNoName = errors.New("gemspec declares no name or no version")

const maxLine = 1 << 20

// ParseGemspec reads the assignments of a gem specification as rubygems writes
// them for installed gems (specifications/*.gemspec). It does not evaluate Ruby:
// only string literals are read.
func ParseGemspec(b []byte) (Spec, error) {
	var s Spec
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var stubName, stubVersion string
	for sc.Scan() {
		line := sc.Text()
		if m := stub.FindStringSubmatch(line); m != nil && stubName == "" {
			stubName, stubVersion = m[1], m[2]
			continue
		}
		m := assignment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		values := literals(m[2])
		if len(values) == 0 {
			continue
		}
		switch m[1] {
		case "name":
			s.Name = values[0]
		case "version":
			s.Version = values[0]
		case "licenses", "license":
			s.Licenses = append(s.Licenses, values...)
		case "authors", "author":
			s.Authors = append(s.Authors, values...)
		case "homepage":
			s.Homepage = values[0]
		}
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	if s.Name == "" {
		s.Name = stubName
	}
	if s.Version == "" {
		s.Version = stubVersion
	}
	if s.Name == "" || s.Version == "" {
		return s, errNoName
	}
	return s, nil
}

// literals returns the string literals of an expression, unescaped.
func literals(expr string) []string {
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(expr, -1) {
		if m[1] != "" || strings.HasPrefix(m[0], `"`) {
			if u, err := strconv.Unquote(`"` + rubyEscapes(m[1]) + `"`); err == nil {
				out = append(out, u)
				continue
			}
			out = append(out, m[1])
			continue
		}
		out = append(out, strings.ReplaceAll(m[2], `\'`, `'`))
	}
	return out
}

// rubyEscapes turns Ruby's \u{XXXX} form into Go's \uXXXX; the others are shared.
func rubyEscapes(s string) string {
	if !strings.Contains(s, `\u{`) {
		return s
	}
	return rubyUnicode.ReplaceAllStringFunc(s, func(m string) string {
		hex := m[3 : len(m)-1]
		return `\u` + strings.Repeat("0", 4-len(hex)) + hex
	})
}
