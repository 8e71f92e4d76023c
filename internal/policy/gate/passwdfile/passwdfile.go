// Package passwdfile is the passwd_file gate: denied users, uids, gids,
// shells and entries in /etc/passwd.
package passwdfile

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Path is the file the gate reads.
const Path = "/etc/passwd"

// Gate is the passwd_file gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "passwd_file" }

// Description says what the gate does.
func (Gate) Description() string { return "Checks of the image's /etc/passwd." }

// Triggers lists the gate's triggers.
func (Gate) Triggers() []gate.Trigger {
	return []gate.Trigger{
		notAvailable{},
		denied{name: "blacklist_usernames", param: "user_names", what: "user name", field: 0},
		denied{name: "blacklist_userids", param: "user_ids", what: "uid", field: 2},
		denied{name: "blacklist_groupids", param: "group_ids", what: "gid", field: 3},
		denied{name: "blacklist_shells", param: "shells", what: "shell", field: 6},
		denied{name: "blacklist_full_entry", param: "entry", what: "entry", field: -1},
	}
}

type entry struct {
	line   int
	text   string
	fields []string
}

// read returns the entries of /etc/passwd and the layer it came from; ok is
// false when the content is not available.
func read(in *gate.Input) (entries []entry, layer int, ok bool) {
	if in.FS == nil {
		return nil, gate.NoLayer, false
	}
	b, err := in.FS.ReadFile(Path)
	if err != nil {
		return nil, gate.NoLayer, false
	}
	layer = gate.NoLayer
	for _, f := range in.FS.Squashed() {
		if f.Path == Path {
			layer = f.Layer
		}
	}
	for i, l := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		entries = append(entries, entry{line: i + 1, text: t, fields: strings.Split(t, ":")})
	}
	return entries, layer, true
}

type requestsPasswd struct{}

func (requestsPasswd) Requests() []layerfs.Request {
	return []layerfs.Request{{Paths: []string{Path}}}
}

type notAvailable struct{ requestsPasswd }

func (notAvailable) Name() string { return "content_not_available" }
func (notAvailable) Description() string {
	return "Fires when /etc/passwd is missing or its content was not available."
}
func (notAvailable) Params() []gate.Param { return nil }
func (notAvailable) Compile(gate.Args) (gate.Check, error) {
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if _, _, ok := read(in); ok {
			return nil, nil
		}
		return []gate.Fire{{ID: "content_not_available", Layer: gate.NoLayer, Detail: "/etc/passwd is missing or its content is not available"}}, nil
	}, nil
}

type denied struct {
	requestsPasswd
	name, param, what string
	field             int // index of the passwd field, -1 for the whole entry
}

func (d denied) Name() string { return d.name }
func (d denied) Description() string {
	return fmt.Sprintf("Fires for each /etc/passwd entry whose %s is listed.", d.what)
}
func (d denied) Params() []gate.Param {
	if d.field < 0 {
		return []gate.Param{{Name: d.param, Type: gate.String, Required: true, Description: "a full entry, as name:x:uid:gid:gecos:home:shell"}}
	}
	return []gate.Param{{Name: d.param, Type: gate.List, Required: true, Description: "comma-separated " + d.what + "s"}}
}
func (d denied) Compile(a gate.Args) (gate.Check, error) {
	list := a.List(d.param)
	if d.field < 0 {
		list = []string{strings.TrimSpace(a.String(d.param))}
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		entries, layer, _ := read(in)
		var out []gate.Fire
		for _, e := range entries {
			v := e.text
			if d.field >= 0 {
				if d.field >= len(e.fields) {
					continue
				}
				v = e.fields[d.field]
			}
			if slices.Contains(list, v) {
				out = append(out, gate.Fire{ID: v, Layer: layer, Path: Path,
					Detail: fmt.Sprintf("%s line %d: denied %s %s", Path, e.line, d.what, v)})
			}
		}
		return out, nil
	}, nil
}
