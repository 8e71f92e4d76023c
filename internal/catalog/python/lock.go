package python

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Locked is one distribution a lockfile or a pinned requirements file names.
type Locked struct {
	Name    string // PEP 503 normalised
	Version string
	Dev     bool
}

// isLockfile reports whether p is a Python lockfile or requirements file this
// cataloger reads.
func isLockfile(p string) bool {
	if strings.Contains(p, "/site-packages/") || strings.Contains(p, "/dist-packages/") {
		return false
	}
	base := path.Base(p)
	switch base {
	case "poetry.lock", "uv.lock", "Pipfile.lock":
		return true
	}
	return strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt")
}

// ParseLockfile parses the lockfile at p by its name.
func ParseLockfile(p string, b []byte) ([]Locked, error) {
	var out []Locked
	var err error
	switch path.Base(p) {
	case "Pipfile.lock":
		out, err = ParsePipfileLock(b)
	case "poetry.lock", "uv.lock":
		out, err = ParsePackageTables(b)
	default:
		out = ParseRequirements(b)
	}
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || out[i].Name == out[j].Name && out[i].Version < out[j].Version
	})
	return out, nil
}

// ParseRequirements returns the pinned ("name==version", "name===version")
// requirements of a pip requirements file; ranges, URLs, options and editable
// installs are not pins and are skipped.
func ParseRequirements(b []byte) []Locked {
	var out []Locked
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var logical strings.Builder
	for sc.Scan() {
		line := sc.Text()
		if strings.HasSuffix(line, "\\") {
			logical.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		logical.WriteString(line)
		if l, ok := pinned(logical.String()); ok {
			out = append(out, l)
		}
		logical.Reset()
	}
	return out
}

func pinned(line string) (Locked, bool) {
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' || line[0] == '-' {
		return Locked{}, false
	}
	line, _, _ = strings.Cut(line, ";") // environment marker
	if i := strings.Index(line, " --"); i >= 0 {
		line = line[:i] // --hash=… options
	}
	name, version, ok := strings.Cut(line, "===")
	if !ok {
		name, version, ok = strings.Cut(line, "==")
	}
	if !ok {
		return Locked{}, false
	}
	name, _, _ = strings.Cut(name, "[") // extras
	name, version = strings.TrimSpace(name), strings.TrimSpace(version)
	if name == "" || version == "" || strings.ContainsAny(version, ",<>!~* ") || strings.ContainsAny(name, " /:@") {
		return Locked{}, false
	}
	return Locked{Name: Normalize(name), Version: version}, true
}

// ParsePipfileLock reads Pipfile.lock: "default" and "develop" sections of
// name → {"version": "==x"}.
func ParsePipfileLock(b []byte) ([]Locked, error) {
	var lock struct {
		Default map[string]struct {
			Version string `json:"version"`
		} `json:"default"`
		Develop map[string]struct {
			Version string `json:"version"`
		} `json:"develop"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		return nil, fmt.Errorf("parse Pipfile.lock: %w", err)
	}
	var out []Locked
	for name, d := range lock.Default {
		if v := strings.TrimPrefix(d.Version, "=="); v != "" && v != d.Version && name != "" {
			out = append(out, Locked{Name: Normalize(name), Version: v})
		}
	}
	for name, d := range lock.Develop {
		if v := strings.TrimPrefix(d.Version, "=="); v != "" && v != d.Version && name != "" {
			out = append(out, Locked{Name: Normalize(name), Version: v, Dev: true})
		}
	}
	return out, nil
}

// ParsePackageTables reads the [[package]] tables of poetry.lock and uv.lock:
// their name, version and (old Poetry) category keys, and uv's source, to skip the
// project itself (editable or virtual). It reads only what those generated files
// contain, not TOML in general.
func ParsePackageTables(b []byte) ([]Locked, error) {
	var out []Locked
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var cur *Locked
	inPackage, local := false, false
	flush := func() {
		if cur != nil && cur.Name != "" && cur.Version != "" && !local {
			out = append(out, *cur)
		}
		cur, local = nil, false
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			if line == "[[package]]" {
				flush()
				cur, inPackage = &Locked{}, true
			} else {
				inPackage = false // [package.dependencies], [metadata]…
			}
			continue
		}
		if !inPackage || cur == nil {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "name":
			cur.Name = Normalize(tomlString(v))
		case "version":
			cur.Version = tomlString(v)
		case "category":
			cur.Dev = tomlString(v) == "dev"
		case "source":
			local = strings.Contains(v, "editable") || strings.Contains(v, "virtual") || strings.Contains(v, "path =") || strings.Contains(v, "directory")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("parse lockfile: %w", err)
	}
	flush()
	return out, nil
}

// tomlString unquotes a basic or literal TOML string; anything else is "".
func tomlString(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
			return v[1 : 1+end]
		}
	}
	return ""
}
