package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// attributeMatch fires when a named file's checksum and mode pass the checks.
type attributeMatch struct{}

var _ gate.ArgsRequester = attributeMatch{}

func (attributeMatch) Name() string { return "attribute_match" }
func (attributeMatch) Description() string {
	return "Fires when the named file's checksum and/or mode pass every check given (and, unless skip_missing, when the file is missing)."
}
func (attributeMatch) Params() []gate.Param {
	ops := []string{"equals", "not_equals"}
	return []gate.Param{
		{Name: "filename", Type: gate.String, Required: true, Description: "absolute path of the file"},
		{Name: "checksum_algorithm", Type: gate.Enum, Default: "sha256", Enum: []string{"sha256"}, Description: "the checksum algorithm"},
		{Name: "checksum", Type: gate.String, Description: "hex checksum to compare the file's with"},
		{Name: "checksum_match", Type: gate.Enum, Default: "equals", Enum: ops, Description: "fire when the checksum equals, or does not equal, the value"},
		{Name: "mode", Type: gate.String, Description: "octal file mode, as 00644 or 4755"},
		{Name: "mode_op", Type: gate.Enum, Default: "equals", Enum: ops, Description: "fire when the mode equals, or does not equal, the value"},
		{Name: "skip_missing", Type: gate.Bool, Default: "true", Description: "do not fire when the file is missing"},
	}
}

func (attributeMatch) RequestsFor(a gate.Args) []layerfs.Request {
	if !a.Has("checksum") {
		return nil
	}
	return []layerfs.Request{{Paths: []string{path.Clean(a.String("filename"))}}}
}

func (attributeMatch) Compile(a gate.Args) (gate.Check, error) {
	name := path.Clean(a.String("filename"))
	if !path.IsAbs(name) {
		return nil, fmt.Errorf("filename %q is not an absolute path", a.String("filename"))
	}
	if !a.Has("checksum") && !a.Has("mode") {
		return nil, fmt.Errorf("give checksum or mode (or both)")
	}
	var mode uint64
	if a.Has("mode") {
		m, err := strconv.ParseUint(a.String("mode"), 8, 32)
		if err != nil || m > 0o7777 {
			return nil, fmt.Errorf("mode %q is not an octal file mode", a.String("mode"))
		}
		mode = m
	}
	want := strings.ToLower(strings.TrimPrefix(a.String("checksum"), "sha256:"))
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.FS == nil {
			return nil, nil
		}
		f := lookup(in.FS, name)
		if f == nil {
			if a.Bool("skip_missing") {
				return nil, nil
			}
			return []gate.Fire{{ID: name, Layer: gate.NoLayer, Path: name, Detail: name + " is missing"}}, nil
		}
		var why []string
		if a.Has("checksum") {
			sum, ok := checksum(in.FS, f)
			if !ok || (sum == want) != (a.String("checksum_match") == "equals") {
				return nil, nil
			}
			why = append(why, fmt.Sprintf("sha256 %s %s", a.String("checksum_match"), want))
		}
		if a.Has("mode") {
			if (uint64(f.Mode) == mode) != (a.String("mode_op") == "equals") {
				return nil, nil
			}
			why = append(why, fmt.Sprintf("mode %s %s %04o", f.Mode, a.String("mode_op"), mode))
		}
		return []gate.Fire{{ID: name, Layer: f.Layer, Path: name, Detail: name + ": " + strings.Join(why, ", ")}}, nil
	}, nil
}

func lookup(fsys gate.Files, name string) *layerfs.File {
	for _, f := range fsys.Squashed() {
		if f.Path == name {
			return f
		}
	}
	return nil
}

// checksum returns the file's sha256, from the walk's digest or its held
// content; false when neither is available.
func checksum(fsys gate.Files, f *layerfs.File) (string, bool) {
	if d, ok := strings.CutPrefix(f.Digest, "sha256:"); ok {
		return d, true
	}
	b, err := fsys.ReadFile(f.Path)
	if err != nil {
		return "", false
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), true
}
