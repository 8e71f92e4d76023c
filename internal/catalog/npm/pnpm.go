package npm

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ParsePnpmLock parses pnpm-lock.yaml (lockfile versions 5, 6 and 9) by reading
// the keys of its packages section and their dev and integrity fields. It reads
// what pnpm writes, not YAML in general.
func ParsePnpmLock(b []byte) (*Lock, error) {
	l := &Lock{Type: "pnpm"}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), maxLockLine)
	seen := map[string]bool{}
	var cur *LockEntry
	inPackages, sawPackages := false, false
	flush := func() {
		if cur != nil && cur.Name != "" && cur.Version != "" && !seen[cur.Name+"@"+cur.Version] {
			seen[cur.Name+"@"+cur.Version] = true
			l.Entries = append(l.Entries, *cur)
		}
		cur = nil
	}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		text := strings.TrimSpace(line)
		switch {
		case indent == 0:
			flush()
			inPackages = text == "packages:"
			sawPackages = sawPackages || inPackages
			if v, ok := strings.CutPrefix(text, "lockfileVersion:"); ok {
				f, _ := strconv.ParseFloat(strings.Trim(strings.TrimSpace(v), `'"`), 64)
				l.Version = int(f)
			}
		case !inPackages:
		case indent == 2 && strings.HasSuffix(text, ":"):
			flush()
			name, version := pnpmKey(strings.Trim(strings.TrimSuffix(text, ":"), `'"`))
			cur = &LockEntry{Name: name, Version: version}
		case indent == 4 && cur != nil:
			k, v, _ := strings.Cut(text, ":")
			v = strings.TrimSpace(v)
			switch k {
			case "dev":
				cur.Dev = v == "true"
			case "resolution":
				if _, after, ok := strings.Cut(v, "integrity: "); ok {
					cur.Integrity = strings.TrimRight(after, "} ")
				}
				if _, after, ok := strings.Cut(v, "tarball: "); ok {
					cur.Resolved, _, _ = strings.Cut(strings.TrimRight(after, "} "), ",")
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("parse pnpm-lock.yaml: %w", err)
	}
	flush()
	if !sawPackages && l.Version == 0 {
		return nil, fmt.Errorf("parse pnpm-lock.yaml: no lockfileVersion and no packages")
	}
	sort.Slice(l.Entries, func(i, j int) bool {
		a, b := l.Entries[i], l.Entries[j]
		return a.Name < b.Name || a.Name == b.Name && a.Version < b.Version
	})
	return l, nil
}

// pnpmKey splits a packages key: "/name/1.0.0" (v5), "/name@1.0.0" (v6),
// "name@1.0.0" (v9), scoped or not, with any peer suffix ("(react@18.2.0)",
// "_react@18.2.0") dropped.
func pnpmKey(k string) (name, version string) {
	if i := strings.IndexByte(k, '('); i > 0 {
		k = k[:i]
	}
	if rest, ok := strings.CutPrefix(k, "/"); ok {
		parts := strings.Split(rest, "/")
		n := 1
		if strings.HasPrefix(rest, "@") {
			n = 2
		}
		if len(parts) == n+1 && parts[n] != "" && parts[n][0] >= '0' && parts[n][0] <= '9' {
			version, _, _ = strings.Cut(parts[n], "_")
			return strings.Join(parts[:n], "/"), version
		}
		k = rest
	}
	start := 0
	if strings.HasPrefix(k, "@") {
		start = 1
	}
	if i := strings.Index(k[start:], "@"); i >= 0 {
		return k[:start+i], k[start+i+1:]
	}
	return "", ""
}
