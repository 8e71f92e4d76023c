package rust

import (
	"bytes"
	"compress/zlib"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Crate is one package cargo-auditable recorded in a binary.
type Crate struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Source  string `json:"source"` // "crates.io", "local", "git", "registry"…
	Kind    string `json:"kind"`   // "" or "runtime", or "build" (not linked into the binary)
	Root    bool   `json:"root"`
}

// maxDeps bounds the decompressed dependency list; real ones are kilobytes.
const maxDeps = 8 << 20

// errNoAudit reports an executable without cargo-auditable data.
var errNoAudit = errors.New("no .dep-v0 section")

// reducedMagic starts the reduced form of an executable: its .dep-v0 section as
// stored (zlib-compressed JSON).
const reducedMagic = "plimsoll-dep-v0\n"

// maxSection bounds the stored section kept by Reduce.
const maxSection = 4 << 20

// Reduce keeps only the .dep-v0 section of an executable built with
// cargo-auditable; other files reduce to nothing.
func Reduce(_ string, content []byte) ([]byte, error) {
	f, err := elf.NewFile(bytes.NewReader(content))
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	s := f.Section(".dep-v0")
	if s == nil {
		return nil, nil
	}
	raw, err := io.ReadAll(io.LimitReader(s.Open(), maxSection+1))
	if err != nil {
		return nil, fmt.Errorf(".dep-v0: %w", err)
	}
	if len(raw) > maxSection {
		return nil, fmt.Errorf(".dep-v0: larger than %d bytes", maxSection)
	}
	return append([]byte(reducedMagic), raw...), nil
}

// ReadAudit returns the crates of an ELF executable built with cargo-auditable —
// the zlib-compressed JSON of its .dep-v0 section — or of the reduced form Reduce
// keeps.
func ReadAudit(content []byte) ([]Crate, error) {
	section, reduced := bytes.CutPrefix(content, []byte(reducedMagic))
	if !reduced {
		f, err := elf.NewFile(bytes.NewReader(content))
		if err != nil {
			return nil, errNoAudit
		}
		defer f.Close()
		s := f.Section(".dep-v0")
		if s == nil {
			return nil, errNoAudit
		}
		if section, err = io.ReadAll(io.LimitReader(s.Open(), maxSection+1)); err != nil {
			return nil, fmt.Errorf(".dep-v0: %w", err)
		}
	}
	z, err := zlib.NewReader(bytes.NewReader(section))
	if err != nil {
		return nil, fmt.Errorf(".dep-v0: %w", err)
	}
	defer z.Close()
	raw, err := io.ReadAll(io.LimitReader(z, maxDeps+1))
	if err != nil {
		return nil, fmt.Errorf(".dep-v0: %w", err)
	}
	if len(raw) > maxDeps {
		return nil, fmt.Errorf(".dep-v0: more than %d bytes decompressed", maxDeps)
	}
	var deps struct {
		Packages []Crate `json:"packages"`
	}
	if err := json.Unmarshal(raw, &deps); err != nil {
		return nil, fmt.Errorf(".dep-v0: %w", err)
	}
	var out []Crate
	for _, c := range deps.Packages {
		if c.Name != "" && c.Version != "" {
			out = append(out, c)
		}
	}
	return out, nil
}
