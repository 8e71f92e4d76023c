// Package secretscans is the secret_scans gate: secrets in file contents and
// environment values, found by built-in and user patterns. A match reports the
// path (or variable), the line and the pattern name, never the secret.
package secretscans

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Gate is the secret_scans gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "secret_scans" }

// Description says what the gate does.
func (Gate) Description() string {
	return "Secrets in file contents (files up to 512 KiB outside system program and library directories) and in ENV values."
}

// Triggers lists the gate's one trigger.
func (Gate) Triggers() []gate.Trigger { return []gate.Trigger{checks{}} }

type checks struct{}

var _ gate.Requester = checks{}

func (checks) Name() string { return "content_regex_checks" }
func (checks) Description() string {
	return "match_type found: fires for each line (or ENV variable) a pattern matches; notfound: fires once when no scanned content matches."
}
func (checks) Params() []gate.Param {
	return []gate.Param{
		{Name: "content_regex_name", Type: gate.String, Description: "only this built-in pattern: " + strings.Join(PatternNames(), ", ")},
		{Name: "regex", Type: gate.Regexp, Description: "a user pattern, used instead of the built-in ones (new)"},
		{Name: "filename_regex", Type: gate.Regexp, Description: "only files whose path matches (ENV values are not scanned then)"},
		{Name: "match_type", Type: gate.Enum, Default: "found", Enum: []string{"found", "notfound"}, Description: "fire on matches, or when nothing matches"},
	}
}
func (checks) Requests() []layerfs.Request { return []layerfs.Request{gate.ContentRequest()} }

func (checks) Compile(a gate.Args) (gate.Check, error) {
	pats := Patterns
	if n := a.String("content_regex_name"); n != "" {
		i := slices.IndexFunc(Patterns, func(p Pattern) bool { return p.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("content_regex_name %q is not a built-in pattern (%s)", n, strings.Join(PatternNames(), ", "))
		}
		pats = Patterns[i : i+1]
	}
	if re := a.Regexp("regex"); re != nil {
		pats = []Pattern{{Name: "USER_REGEX", Re: re}}
	}
	only, notFound := a.Regexp("filename_regex"), a.String("match_type") == "notfound"
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		out := scan(in, pats, only)
		if !notFound {
			return out, nil
		}
		if len(out) > 0 {
			return nil, nil
		}
		return []gate.Fire{{ID: "notfound", Layer: gate.NoLayer, Detail: "no scanned content matches the patterns"}}, nil
	}, nil
}

func scan(in *gate.Input, pats []Pattern, only *regexp.Regexp) []gate.Fire {
	var out []gate.Fire
	file := func(hidden string) func(f *layerfs.File, b []byte) {
		return func(f *layerfs.File, b []byte) {
			if only != nil && !only.MatchString(f.Path) {
				return
			}
			for n, l := range bytes.Split(b, []byte("\n")) {
				for _, p := range pats {
					if p.Re.Match(l) {
						out = append(out, gate.Fire{ID: p.Name + "+" + f.Path, Layer: f.Layer, Path: f.Path,
							Detail: fmt.Sprintf("%s line %d: %s%s", f.Path, n+1, p.Name, hidden)})
					}
				}
			}
		}
	}
	gate.ScannedFiles(in, file(""))
	gate.HiddenFiles(in, file(" (deleted or replaced by a later layer, still shipped in this one)"))
	if only != nil {
		return out
	}
	for _, kv := range in.Env {
		key, _, _ := strings.Cut(kv, "=")
		for _, p := range pats {
			if p.Re.MatchString(kv) {
				out = append(out, gate.Fire{ID: p.Name + "+env:" + key, Layer: envLayer(in, key),
					Detail: fmt.Sprintf("ENV %s: %s", key, p.Name)})
			}
		}
	}
	return out
}

// envLayer finds the layer of the last history step that set the variable.
func envLayer(in *gate.Input, key string) int {
	for i := len(in.History) - 1; i >= 0; i-- {
		cb := in.History[i].CreatedBy
		if strings.Contains(cb, "ENV ") && strings.Contains(cb, key) {
			return gate.LayerOfStep(in, i)
		}
	}
	return in.TopLayer()
}
