// Package gatetest helps test gates: an in-memory file index and a helper that
// compiles one trigger with parameters and runs it.
package gatetest

import (
	"context"
	"io/fs"
	"sort"
	"strconv"
	"testing"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// File is a file of the fake index.
type File struct {
	layerfs.File
	Content string // held when non-empty
	// Hidden marks an entry a later layer deleted or replaced.
	Hidden bool
}

// FS is an in-memory gate.Files.
type FS []File

var (
	_ gate.Files        = FS(nil)
	_ gate.LayeredFiles = FS(nil)
)

// Squashed returns the visible files sorted by path.
func (f FS) Squashed() []*layerfs.File {
	var out []*layerfs.File
	for i := range f {
		if !f[i].Hidden {
			out = append(out, &f[i].File)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// AllLayers returns every entry, hidden ones included, in the order given.
func (f FS) AllLayers() []layerfs.LayerEntry {
	var out []layerfs.LayerEntry
	for i := range f {
		out = append(out, layerfs.LayerEntry{File: &f[i].File, Visible: !f[i].Hidden})
	}
	return out
}

// Lookup returns the visible entry at p.
func (f FS) Lookup(p string) (*layerfs.File, bool) {
	for i := range f {
		if f[i].Path == p && !f[i].Hidden {
			return &f[i].File, true
		}
	}
	return nil, false
}

// LayerContent returns the held content of an entry of one layer.
func (f FS) LayerContent(layer int, p string) ([]byte, bool) {
	for _, x := range f {
		if x.Layer == layer && x.Path == p && x.Content != "" {
			return []byte(x.Content), true
		}
	}
	return nil, false
}

// ReadFile returns a visible file's held content.
func (f FS) ReadFile(p string) ([]byte, error) {
	for _, x := range f {
		if x.Path == p && !x.Hidden && x.Content != "" {
			return []byte(x.Content), nil
		}
	}
	return nil, &fs.PathError{Op: "read", Path: p, Err: fs.ErrNotExist}
}

// Reg returns a regular file in a layer.
func Reg(path string, layer int, mode layerfs.Mode, content string) File {
	return File{File: layerfs.File{Path: path, Type: layerfs.Regular, Mode: mode, Layer: layer, Size: int64(len(content))}, Content: content}
}

// Trigger finds a gate's trigger by name.
func Trigger(t *testing.T, g gate.Gate, name string) gate.Trigger {
	t.Helper()
	for _, tr := range g.Triggers() {
		if tr.Name() == name {
			return tr
		}
	}
	t.Fatalf("gate %s has no trigger %s", g.Name(), name)
	return nil
}

// Compile validates args as the policy engine does (types, enums, defaults)
// and compiles the trigger; its firings carry Anchore's IDs, as the engine's do.
func Compile(tr gate.Trigger, args map[string]string) (gate.Check, error) {
	a := gate.Args{}
	for _, p := range tr.Params() {
		if v, ok := args[p.Name]; ok {
			if err := p.Validate(v); err != nil {
				return nil, err
			}
			a[p.Name] = p.Canonical(v)
		} else if p.Default != "" {
			a[p.Name] = p.Default
		}
	}
	check, err := tr.Compile(a)
	if err != nil {
		return nil, err
	}
	return gate.WithAnchoreIDs(tr, a, check), nil
}

// Run compiles and runs a trigger, failing the test on errors.
func Run(t *testing.T, g gate.Gate, trigger string, args map[string]string, in *gate.Input) []gate.Fire {
	t.Helper()
	check, err := Compile(Trigger(t, g, trigger), args)
	if err != nil {
		t.Fatal(err)
	}
	fires, err := check(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return fires
}

// AnchoreIDs returns the firings' Anchore IDs (their ID where Anchore's is
// the same).
func AnchoreIDs(fires []gate.Fire) []string {
	var out []string
	for _, f := range fires {
		id := f.Anchore
		if id == "" {
			id = f.ID
		}
		out = append(out, id)
	}
	return out
}

// IDs returns the trigger IDs with their layers, "id@layer".
func IDs(fires []gate.Fire) []string {
	var out []string
	for _, f := range fires {
		out = append(out, f.ID+"@"+itoa(f.Layer))
	}
	return out
}

func itoa(n int) string {
	if n < 0 {
		return "-"
	}
	return strconv.Itoa(n)
}
