package npm

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Manifest is what a package.json says of the package.
type Manifest struct {
	Name     string
	Version  string
	Licenses []string // as declared: an SPDX expression, or the legacy forms
	Author   string
	Homepage string
	Private  bool
}

// rawManifest takes every shape package.json fields have had in the wild.
type rawManifest struct {
	Name     string          `json:"name"`
	Version  string          `json:"version"`
	License  json.RawMessage `json:"license"`
	Licenses json.RawMessage `json:"licenses"`
	Author   json.RawMessage `json:"author"`
	Homepage json.RawMessage `json:"homepage"`
	Private  json.RawMessage `json:"private"`
}

// ParseManifest parses a package.json. Fields of an unexpected shape are ignored;
// a document that is not a JSON object is an error.
func ParseManifest(b []byte) (Manifest, error) {
	var r rawManifest
	if err := json.Unmarshal(b, &r); err != nil {
		return Manifest{}, fmt.Errorf("parse package.json: %w", err)
	}
	m := Manifest{Name: strings.TrimSpace(r.Name), Version: strings.TrimSpace(r.Version)}
	m.Licenses = append(licenseNames(r.License), licenseNames(r.Licenses)...)
	m.Author = personName(r.Author)
	_ = json.Unmarshal(r.Homepage, &m.Homepage)
	_ = json.Unmarshal(r.Private, &m.Private)
	return m, nil
}

// errIncomplete is a manifest without a name or version.
var errIncomplete = errors.New("package.json has no name or no version")

// licenseNames reads "MIT", {"type": "MIT"} or [{"type": "MIT"}, "ISC"].
func licenseNames(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s != "" {
			return []string{s}
		}
		return nil
	}
	var obj struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Type != "" {
		return []string{obj.Type}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var out []string
		for _, x := range list {
			out = append(out, licenseNames(x)...)
		}
		return out
	}
	return nil
}

// personName reads "Name <mail> (url)" or {"name": "Name"}.
func personName(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var obj struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		return strings.TrimSpace(obj.Name)
	}
	return ""
}
