package php

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Installed is one package of vendor/composer/installed.json.
type Installed struct {
	Name        string          `json:"name"`
	Version     string          `json:"version"`
	License     []string        `json:"-"`
	Homepage    string          `json:"homepage"`
	Description string          `json:"description"`
	Dev         bool            `json:"-"`
	InstallPath string          `json:"install-path"`
	RawLicense  json.RawMessage `json:"license"`
}

type installedV2 struct {
	Packages        []Installed `json:"packages"`
	DevPackageNames []string    `json:"dev-package-names"`
}

// ParseInstalled parses vendor/composer/installed.json, Composer 2 (an object with
// packages and dev-package-names) or Composer 1 (a bare array), sorted by name.
func ParseInstalled(b []byte) ([]Installed, error) {
	var pkgs []Installed
	var dev []string
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(b, &pkgs); err != nil {
			return nil, fmt.Errorf("parse installed.json: %w", err)
		}
	} else {
		var v2 installedV2
		if err := json.Unmarshal(b, &v2); err != nil {
			return nil, fmt.Errorf("parse installed.json: %w", err)
		}
		if v2.Packages == nil {
			return nil, fmt.Errorf("parse installed.json: no packages")
		}
		pkgs, dev = v2.Packages, v2.DevPackageNames
	}
	devSet := map[string]bool{}
	for _, n := range dev {
		devSet[n] = true
	}
	out := pkgs[:0]
	for _, p := range pkgs {
		if p.Name == "" || p.Version == "" {
			continue
		}
		p.License = licenses(p.RawLicense)
		p.RawLicense = nil
		p.Dev = devSet[p.Name]
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// licenses reads ["MIT"] or, in old files, "MIT".
func licenses(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
		return []string{s}
	}
	return nil
}
