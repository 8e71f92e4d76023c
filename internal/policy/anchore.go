package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// AnchoreVersion is the bundle format version Anchore Engine wrote.
const AnchoreVersion = "1_0"

// ReadFile reads a bundle from a file: an Anchore bundle (JSON) or the native
// YAML form.
func ReadFile(path string) (*Bundle, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	return Parse(b, path)
}

// Parse parses a bundle: JSON (starting with "{") is an Anchore bundle,
// anything else the native YAML form.
func Parse(data []byte, file string) (*Bundle, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return ParseAnchore(data, file)
	}
	return ParseNative(data, file)
}

// ParseAnchore parses and validates an Anchore policy bundle (version 1_0,
// JSON). Errors name the file and the field (with the line for syntax and type
// errors). Fields Anchore wrote that plimsoll does not use are ignored.
func ParseAnchore(data []byte, file string) (*Bundle, error) {
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		return nil, jsonError(data, file, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: trailing data after the bundle", file)
	}
	b.File, b.jsonLines = file, jsonLines(data)
	if err := b.validate(); err != nil {
		return nil, err
	}
	return &b, nil
}

func jsonError(data []byte, file string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%s:%d: %w", file, lineOf(data, syn.Offset), err)
	case errors.As(err, &typ):
		return fmt.Errorf("%s:%d: %s: %s is not a %s", file, lineOf(data, typ.Offset), typ.Field, typ.Value, typ.Type)
	case errors.Is(err, errParamValue):
		return fmt.Errorf("%s: %w", file, err)
	}
	return fmt.Errorf("%s: %w", file, err)
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

var errParamValue = errors.New("param value must be a string, number or boolean")

// UnmarshalJSON accepts a value written as a string, a number or a boolean, as
// hand-written bundles sometimes carry them.
func (p *Param) UnmarshalJSON(b []byte) error {
	var raw struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	p.Name = raw.Name
	v := bytes.TrimSpace(raw.Value)
	switch {
	case len(v) == 0 || string(v) == "null":
		p.Value = ""
	case v[0] == '"':
		return json.Unmarshal(v, &p.Value)
	case string(v) == "true" || string(v) == "false":
		p.Value = string(v)
	default:
		if _, err := strconv.ParseFloat(string(v), 64); err != nil {
			return fmt.Errorf("param %q: %w", raw.Name, errParamValue)
		}
		p.Value = string(v)
	}
	return nil
}

// fieldError names the file and the field path of a validation failure, and
// for a native bundle the line, with the field as the native form names it.
func (b *Bundle) fieldError(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if b.lines == nil {
		if b.jsonLines != nil {
			return fmt.Errorf("%s:%d: %s: %s", b.File, lineIn(b.jsonLines, field), field, msg)
		}
		return fmt.Errorf("%s: %s: %s", b.File, field, msg)
	}
	field = nativeNames.Replace(field)
	return fmt.Errorf("%s:%d: %s: %s", b.File, b.lineOf(field), field, msg)
}

func (b *Bundle) validate() error {
	if b.Version != AnchoreVersion {
		return b.fieldError("version", "%q is not a supported bundle version (want %q)", b.Version, AnchoreVersion)
	}
	if b.ID == "" {
		return b.fieldError("id", "missing")
	}
	if b.DefaultAction != "" {
		a, ok := parseAction(string(b.DefaultAction))
		if !ok {
			return b.fieldError("default_action", "%q is not GO, WARN or STOP", b.DefaultAction)
		}
		b.DefaultAction = a
	}
	policies := map[string]bool{}
	for i := range b.Policies {
		if err := b.validatePolicy(i, policies); err != nil {
			return err
		}
	}
	whitelists := map[string]bool{}
	for i := range b.Whitelists {
		if err := b.validateWhitelist(i, whitelists); err != nil {
			return err
		}
	}
	for i := range b.Mappings {
		if err := b.validateMapping(i, policies, whitelists); err != nil {
			return err
		}
	}
	for name, list := range map[string][]ImageSelector{"whitelisted_images": b.WhitelistedImages, "blacklisted_images": b.BlacklistedImages} {
		for i, s := range list {
			if err := b.validateSelector(fmt.Sprintf("%s[%d]", name, i), s.Registry, s.Repository, s.Image); err != nil {
				return err
			}
		}
	}
	return nil
}

func parseAction(s string) (Action, bool) {
	a := Action(strings.ToUpper(strings.TrimSpace(s)))
	return a, a == GO || a == WARN || a == STOP
}

func (b *Bundle) validatePolicy(i int, seen map[string]bool) error {
	p := &b.Policies[i]
	field := fmt.Sprintf("policies[%d]", i)
	if p.ID == "" {
		return b.fieldError(field+".id", "missing")
	}
	if seen[p.ID] {
		return b.fieldError(field+".id", "%q is used by another policy", p.ID)
	}
	seen[p.ID] = true
	for j := range p.Rules {
		r := &p.Rules[j]
		rf := fmt.Sprintf("%s.rules[%d]", field, j)
		if r.Gate == "" {
			return b.fieldError(rf+".gate", "missing")
		}
		if r.Trigger == "" {
			return b.fieldError(rf+".trigger", "missing")
		}
		a, ok := parseAction(string(r.Action))
		if !ok {
			return b.fieldError(rf+".action", "%q is not GO, WARN or STOP", r.Action)
		}
		r.Action = a
		switch r.Layers {
		case "", "all", "base", "application":
		default:
			return b.fieldError(rf+".layers", "%q is not all, base or application", r.Layers)
		}
		for k, prm := range r.Params {
			if prm.Name == "" {
				return b.fieldError(fmt.Sprintf("%s.params[%d].name", rf, k), "missing")
			}
		}
	}
	return nil
}

func (b *Bundle) validateWhitelist(i int, seen map[string]bool) error {
	w := &b.Whitelists[i]
	field := fmt.Sprintf("whitelists[%d]", i)
	if w.ID == "" {
		return b.fieldError(field+".id", "missing")
	}
	if seen[w.ID] {
		return b.fieldError(field+".id", "%q is used by another whitelist", w.ID)
	}
	seen[w.ID] = true
	if b.lines == nil {
		w.AnchoreIDs = true // an Anchore bundle's items name Anchore's trigger IDs
	}
	for j := range w.Items {
		it := &w.Items[j]
		f := fmt.Sprintf("%s.items[%d]", field, j)
		if it.Gate == "" {
			return b.fieldError(f+".gate", "missing")
		}
		if it.TriggerID == "" {
			return b.fieldError(f+".trigger_id", "missing")
		}
		if it.ExpiresOn != "" {
			t, err := parseExpiry(it.ExpiresOn)
			if err != nil {
				return b.fieldError(f+".expires_on", "%q is not an RFC 3339 time or a YYYY-MM-DD date", it.ExpiresOn)
			}
			it.Expires = &t
		}
	}
	return nil
}

func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}

func (b *Bundle) validateMapping(i int, policies, whitelists map[string]bool) error {
	m := &b.Mappings[i]
	field := fmt.Sprintf("mappings[%d]", i)
	if err := b.validateSelector(field, m.Registry, m.Repository, m.Image); err != nil {
		return err
	}
	ids := m.Policies()
	if len(ids) == 0 {
		return b.fieldError(field+".policy_ids", "a mapping needs policy_id or policy_ids")
	}
	for _, id := range ids {
		if !policies[id] {
			return b.fieldError(field+".policy_ids", "no policy has id %q", id)
		}
	}
	for _, id := range m.WhitelistIDs {
		if !whitelists[id] {
			return b.fieldError(field+".whitelist_ids", "no whitelist has id %q", id)
		}
	}
	return nil
}

func (b *Bundle) validateSelector(field, registry, repository string, im ImageMatch) error {
	if registry == "" {
		return b.fieldError(field+".registry", "missing (use \"*\" for any)")
	}
	if repository == "" {
		return b.fieldError(field+".repository", "missing (use \"*\" for any)")
	}
	switch im.Type {
	case "tag", "digest", "id":
	default:
		return b.fieldError(field+".image.type", "%q is not tag, digest or id", im.Type)
	}
	if im.Value == "" {
		return b.fieldError(field+".image.value", "missing")
	}
	for name, v := range map[string]string{"registry": registry, "repository": repository, "image.value": im.Value} {
		if re, ok := strings.CutPrefix(v, "regexp:"); ok {
			if _, err := regexp.Compile(re); err != nil {
				return b.fieldError(field+"."+name, "bad regular expression: %v", err)
			}
		}
	}
	return nil
}
