// Package files is the files gate: setuid and setgid files, file names and
// file contents.
package files

import (
	"context"
	"fmt"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Gate is the files gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "files" }

// Description says what the gate does.
func (Gate) Description() string {
	return "Checks of the files the final image shows (the squashed view)."
}

// Triggers lists the gate's triggers.
func (Gate) Triggers() []gate.Trigger {
	return []gate.Trigger{suid{}, nameMatch{}, contentMatch{}, attributeMatch{}}
}

type suid struct{}

func (suid) Name() string { return "suid_or_guid_set" }
func (suid) Description() string {
	return "Fires for each regular file with the setuid or setgid bit."
}
func (suid) Params() []gate.Param { return nil }
func (suid) Compile(gate.Args) (gate.Check, error) {
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.FS == nil {
			return nil, nil
		}
		var out []gate.Fire
		for _, f := range in.FS.Squashed() {
			if !f.Setuid() && !f.Setgid() {
				continue
			}
			bits := "setuid"
			switch {
			case f.Setuid() && f.Setgid():
				bits = "setuid and setgid"
			case f.Setgid():
				bits = "setgid"
			}
			out = append(out, gate.Fire{ID: f.Path, Layer: f.Layer, Path: f.Path,
				Detail: fmt.Sprintf("%s is %s (mode %s, owner %d:%d)", f.Path, bits, f.Mode, f.UID, f.GID)})
		}
		return out, nil
	}, nil
}

type nameMatch struct{}

func (nameMatch) Name() string { return "name_match" }
func (nameMatch) Description() string {
	return "Fires for each file whose absolute path matches the regular expression."
}
func (nameMatch) Params() []gate.Param {
	return []gate.Param{{Name: "regex", Type: gate.Regexp, Required: true, Description: "regular expression searched in the absolute path"}}
}
func (nameMatch) Compile(a gate.Args) (gate.Check, error) {
	re := a.Regexp("regex")
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.FS == nil {
			return nil, nil
		}
		var out []gate.Fire
		for _, f := range in.FS.Squashed() {
			if f.Type != layerfs.Dir && re.MatchString(f.Path) {
				out = append(out, gate.Fire{ID: f.Path, Layer: f.Layer, Path: f.Path,
					Detail: fmt.Sprintf("%s matches %s", f.Path, re)})
			}
		}
		return out, nil
	}, nil
}

type contentMatch struct{}

var _ gate.Requester = contentMatch{}

func (contentMatch) Name() string { return "content_regex_match" }
func (contentMatch) Description() string {
	return "Fires for each scanned file whose content matches the regular expression (files up to 512 KiB outside system program and library directories)."
}
func (contentMatch) Params() []gate.Param {
	return []gate.Param{
		{Name: "regex_name", Type: gate.Regexp, Required: true, Description: "regular expression searched in file contents (Anchore named it by the analyzer's regex)"},
		{Name: "filename_regex", Type: gate.Regexp, Description: "only files whose path matches"},
	}
}
func (contentMatch) Requests() []layerfs.Request { return []layerfs.Request{gate.ContentRequest()} }
func (contentMatch) Compile(a gate.Args) (gate.Check, error) {
	re, only := a.Regexp("regex_name"), a.Regexp("filename_regex")
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		var out []gate.Fire
		gate.ScannedFiles(in, func(f *layerfs.File, b []byte) {
			if only != nil && !only.MatchString(f.Path) {
				return
			}
			if loc := re.FindIndex(b); loc != nil {
				line := 1 + countNewlines(b[:loc[0]])
				out = append(out, gate.Fire{ID: a.String("regex_name") + "+" + f.Path, Layer: f.Layer, Path: f.Path,
					Detail: fmt.Sprintf("%s line %d matches %s", f.Path, line, re)})
			}
		})
		return out, nil
	}, nil
}

func countNewlines(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}
