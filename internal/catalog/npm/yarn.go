package npm

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ParseYarnLock parses a yarn.lock, classic (v1) or berry (v2+, with __metadata).
// Each resolved package becomes one entry; workspace and link entries are skipped.
// yarn.lock records neither install paths nor dev dependencies.
func ParseYarnLock(b []byte) (*Lock, error) {
	l := &Lock{Version: 1, Type: "yarn"}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLockLine)
	seen := map[string]bool{}
	var cur *LockEntry
	var skip, meta bool
	flush := func() {
		if cur != nil && !skip && cur.Name != "" && cur.Version != "" && !seen[cur.Name+"@"+cur.Version] {
			seen[cur.Name+"@"+cur.Version] = true
			l.Entries = append(l.Entries, *cur)
		}
		cur, skip, meta = nil, false, false
	}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(text)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if text[0] != ' ' {
			flush()
			if !strings.HasSuffix(trimmed, ":") {
				return nil, fmt.Errorf("parse yarn.lock: line %d: not a package key: %q", line, truncateLine(trimmed))
			}
			key := strings.TrimSuffix(trimmed, ":")
			if key == "__metadata" {
				meta = true
				l.Type = "yarn-berry"
				cur = &LockEntry{}
				continue
			}
			name, spec := splitDescriptor(firstDescriptor(key))
			cur = &LockEntry{Name: name}
			skip = strings.HasPrefix(spec, "workspace:") || strings.HasPrefix(spec, "link:") || strings.HasPrefix(spec, "portal:")
			continue
		}
		if cur == nil || strings.HasPrefix(text, "    ") {
			continue // nested maps: dependencies, peerDependenciesMeta…
		}
		k, v := yarnField(trimmed)
		switch {
		case meta && k == "version":
			if n, err := strconv.Atoi(v); err == nil {
				l.Version = n
			}
		case meta:
		case k == "version":
			cur.Version = v
		case k == "resolved" || k == "resolution":
			cur.Resolved = v
		case k == "integrity" || k == "checksum":
			cur.Integrity = v
		case k == "linkType" && v == "soft":
			skip = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("parse yarn.lock: line %d: %w", line+1, err)
	}
	flush()
	sort.Slice(l.Entries, func(i, j int) bool {
		a, b := l.Entries[i], l.Entries[j]
		return a.Name < b.Name || a.Name == b.Name && a.Version < b.Version
	})
	return l, nil
}

// maxLockLine bounds one line of a lockfile.
const maxLockLine = 1 << 20

// firstDescriptor returns the first of a key's comma-separated descriptors,
// unquoted: `"@a/b@^1", "@a/b@^1.2"` gives `@a/b@^1`.
func firstDescriptor(key string) string {
	first, _, _ := strings.Cut(key, ",")
	return strings.Trim(strings.TrimSpace(first), `"`)
}

// splitDescriptor splits "name@range" (scoped names start with "@"; berry ranges
// carry a protocol: "debug@npm:4.3.4").
func splitDescriptor(d string) (name, spec string) {
	start := 0
	if strings.HasPrefix(d, "@") {
		start = 1
	}
	i := strings.Index(d[start:], "@")
	if i < 0 {
		return d, ""
	}
	i += start
	return d[:i], d[i+1:]
}

// yarnField reads `version "1.0.0"` (classic) or `version: 1.0.0` (berry).
func yarnField(s string) (key, value string) {
	k, v, ok := strings.Cut(s, ": ")
	if !ok {
		k, v, _ = strings.Cut(s, " ")
	}
	return strings.Trim(k, `":`), strings.Trim(strings.TrimSpace(v), `"`)
}

func truncateLine(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
