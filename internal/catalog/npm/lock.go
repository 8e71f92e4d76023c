package npm

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// LockEntry is one package a package-lock.json pins.
type LockEntry struct {
	Name      string
	Version   string
	Path      string // install path relative to the lockfile's directory: "node_modules/a/node_modules/b"
	Dev       bool   // needed only for development (dev, or devOptional)
	Resolved  string
	Integrity string
	License   string // v2 and v3 only
}

// Lock is a parsed package-lock.json.
type Lock struct {
	Type    string // "package-lock", "yarn" or "yarn-berry"
	Version int
	Entries []LockEntry // sorted by Path
}

type lockV2Package struct {
	Name        string          `json:"name"`
	Version     string          `json:"version"`
	Resolved    string          `json:"resolved"`
	Integrity   string          `json:"integrity"`
	Dev         bool            `json:"dev"`
	DevOptional bool            `json:"devOptional"`
	Link        bool            `json:"link"`
	License     json.RawMessage `json:"license"`
}

type lockV1Dep struct {
	Version      string               `json:"version"`
	Resolved     string               `json:"resolved"`
	Integrity    string               `json:"integrity"`
	Dev          bool                 `json:"dev"`
	Bundled      bool                 `json:"bundled"`
	Dependencies map[string]lockV1Dep `json:"dependencies"`
}

type rawLock struct {
	LockfileVersion int                      `json:"lockfileVersion"`
	Packages        map[string]lockV2Package `json:"packages"`
	Dependencies    map[string]lockV1Dep     `json:"dependencies"`
}

// maxLockDepth bounds v1 nesting, which a hostile file could make deep.
const maxLockDepth = 64

// ParseLock parses package-lock.json (or npm-shrinkwrap.json) versions 1 to 3. v2
// files carry both forms; the packages map is used.
func ParseLock(b []byte) (*Lock, error) {
	var r rawLock
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("parse package-lock.json: %w", err)
	}
	l := &Lock{Type: "package-lock", Version: r.LockfileVersion}
	switch {
	case r.LockfileVersion >= 2 || r.Packages != nil:
		for p, pkg := range r.Packages {
			if p == "" || pkg.Link || pkg.Version == "" {
				continue // the project itself, a workspace link, or a link target
			}
			name := pkg.Name
			if name == "" {
				name = nameFromPath(p)
			}
			if name == "" {
				continue
			}
			lic := licenseNames(pkg.License)
			l.Entries = append(l.Entries, LockEntry{Name: name, Version: pkg.Version, Path: p,
				Dev: pkg.Dev || pkg.DevOptional, Resolved: pkg.Resolved, Integrity: pkg.Integrity,
				License: strings.Join(lic, " OR ")})
		}
	case r.LockfileVersion == 1 || r.Dependencies != nil:
		if l.Version == 0 {
			l.Version = 1
		}
		walkV1(r.Dependencies, "", 0, &l.Entries)
	default:
		return nil, fmt.Errorf("parse package-lock.json: no packages or dependencies")
	}
	sort.Slice(l.Entries, func(i, j int) bool { return l.Entries[i].Path < l.Entries[j].Path })
	return l, nil
}

func walkV1(deps map[string]lockV1Dep, parent string, depth int, out *[]LockEntry) {
	if depth > maxLockDepth {
		return
	}
	for name, d := range deps {
		p := path.Join(parent, "node_modules", name)
		if name == "" || strings.Contains(name, "..") {
			continue
		}
		if d.Version != "" && !strings.HasPrefix(d.Version, "file:") {
			*out = append(*out, LockEntry{Name: name, Version: d.Version, Path: p, Dev: d.Dev,
				Resolved: d.Resolved, Integrity: d.Integrity})
		}
		walkV1(d.Dependencies, p, depth+1, out)
	}
}

// nameFromPath returns the package name an install path ends in:
// "node_modules/a/node_modules/@s/b" is "@s/b".
func nameFromPath(p string) string {
	i := strings.LastIndex(p, "node_modules/")
	if i < 0 {
		return ""
	}
	return p[i+len("node_modules/"):]
}
