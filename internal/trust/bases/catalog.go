// Package bases keeps the catalogue of approved base images — a JSON file CI can
// keep in a repository — and detects which approved base an image is built on
// from its diffIDs' ChainIDs (never from compressed digests, never from
// annotations alone).
package bases

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// Version is the catalogue file format version this package reads and writes.
const Version = 1

// DefaultPath is the catalogue file used when none is named.
const DefaultPath = ".plimsoll-bases.json"

// maxFile bounds the catalogue file read into memory.
const maxFile = 64 << 20

// ErrInvalid reports a catalogue file that does not hold a valid catalogue.
var ErrInvalid = errors.New("invalid base catalogue")

// Catalog is the approved-base catalogue: one Base per reference and platform.
type Catalog struct {
	Version int    `json:"version"`
	Bases   []Base `json:"bases"`
}

// Base is one approved base image for one platform: the digest its reference
// resolved to when it was added or last refreshed, and the digests it resolved
// to before.
type Base struct {
	// Reference is the normalised reference as approved: repository:tag,
	// repository@digest, or a local source reference (oci-dir:…).
	Reference  string `json:"reference"`
	Repository string `json:"repository,omitempty"`
	Tag        string `json:"tag,omitempty"`
	// Platform is os/arch[/variant].
	Platform    string `json:"platform"`
	Digest      string `json:"digest"`                // manifest digest
	IndexDigest string `json:"indexDigest,omitempty"` // the index it was picked from
	// Signer names the key that verified the image's signature
	// ("sha256:<fingerprint of the public key>"); empty when none was required.
	Signer string    `json:"signer,omitempty"`
	Added  time.Time `json:"added"`
	// DiffIDs are the layers' uncompressed digests, lowest first; ChainIDs[i]
	// is the ChainID of layers 0..i (ChainIDs[len-1] identifies the base).
	DiffIDs    []string     `json:"diffIDs"`
	ChainIDs   []string     `json:"chainIDs"`
	Superseded []Superseded `json:"superseded,omitempty"`
}

// Superseded is a digest a base's reference resolved to before, kept so images
// built on an older version of an approved base are still recognised (and can
// be judged outdated).
type Superseded struct {
	Digest   string    `json:"digest"`
	Signer   string    `json:"signer,omitempty"`
	Added    time.Time `json:"added"`
	Replaced time.Time `json:"replaced"`
	DiffIDs  []string  `json:"diffIDs"`
	ChainIDs []string  `json:"chainIDs"`
}

// ChainID returns the ChainID of the whole base.
func (b *Base) ChainID() string { return last(b.ChainIDs) }

// ChainID returns the ChainID of the whole superseded base.
func (s *Superseded) ChainID() string { return last(s.ChainIDs) }

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// New returns an empty catalogue.
func New() *Catalog { return &Catalog{Version: Version, Bases: []Base{}} }

// Load reads the catalogue file at path. A missing file is an error wrapping
// os.ErrNotExist; callers that create catalogues treat it as empty.
func Load(path string) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load base catalogue: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("load base catalogue %s: %w", path, err)
	}
	if len(b) > maxFile {
		return nil, fmt.Errorf("load base catalogue %s: %w: larger than %d bytes", path, ErrInvalid, maxFile)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("load base catalogue %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes and validates a catalogue.
func Parse(b []byte) (*Catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the catalogue object", ErrInvalid)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Bases == nil {
		c.Bases = []Base{}
	}
	return &c, nil
}

// Validate checks the version, the digests, that every stored ChainID follows
// from the diffIDs (a hand edit cannot make an image match a base it does not
// contain), and that no reference and platform appear twice.
func (c *Catalog) Validate() error {
	if c.Version != Version {
		return fmt.Errorf("%w: version %d, want %d", ErrInvalid, c.Version, Version)
	}
	seen := map[string]bool{}
	for i := range c.Bases {
		b := &c.Bases[i]
		where := fmt.Sprintf("base %d (%s %s)", i, b.Reference, b.Platform)
		if b.Reference == "" {
			return fmt.Errorf("%w: %s: no reference", ErrInvalid, where)
		}
		if seen[b.key()] {
			return fmt.Errorf("%w: %s: listed twice", ErrInvalid, where)
		}
		seen[b.key()] = true
		if err := checkStack(b.Digest, b.DiffIDs, b.ChainIDs); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrInvalid, where, err)
		}
		for j, s := range b.Superseded {
			if err := checkStack(s.Digest, s.DiffIDs, s.ChainIDs); err != nil {
				return fmt.Errorf("%w: %s: superseded %d: %v", ErrInvalid, where, j, err)
			}
		}
	}
	return nil
}

func checkStack(digest string, diffIDs, chainIDs []string) error {
	if err := trust.CheckDigest(digest); err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	if len(diffIDs) == 0 {
		return errors.New("no diffIDs (a base must have layers)")
	}
	want, err := trust.ChainIDs(diffIDs)
	if err != nil {
		return err
	}
	if !slices.Equal(want, chainIDs) {
		return errors.New("chainIDs do not follow from diffIDs")
	}
	return nil
}

func (b *Base) key() string { return b.Reference + " " + b.Platform }

// Save writes the catalogue to path atomically, sorted by reference and
// platform and indented, so it diffs cleanly in a repository.
func (c *Catalog) Save(path string) error {
	c.sort()
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("save base catalogue: %w", err)
	}
	b = append(b, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(path), ".plimsoll-bases-*.tmp")
	if err != nil {
		return fmt.Errorf("save base catalogue: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save base catalogue %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save base catalogue %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("save base catalogue %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save base catalogue %s: %w", path, err)
	}
	return nil
}

func (c *Catalog) sort() {
	slices.SortFunc(c.Bases, func(a, b Base) int {
		if n := strings.Compare(a.Reference, b.Reference); n != 0 {
			return n
		}
		return strings.Compare(a.Platform, b.Platform)
	})
}
