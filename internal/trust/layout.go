package trust

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/plimsoll/plimsoll/internal/image"
)

// Annotations of an OCI layout's index.json entries.
const (
	// RefNameAnnotation tags an entry (skopeo, oras and crane write the tag,
	// some writers a full reference).
	RefNameAnnotation = "org.opencontainers.image.ref.name"
	// cosign save marks its entries with kind instead of tags: the image (or
	// index), its .sig manifest and its attestations.
	cosignKind       = "kind"
	cosignKindImage  = "dev.cosignproject.cosign/image"
	cosignKindIndex  = "dev.cosignproject.cosign/imageIndex"
	cosignKindSigs   = "dev.cosignproject.cosign/sigs"
	maxLayoutEntries = 10000 // manifests listed in index.json and the indexes it nests
	maxIndexDepth    = 4
)

// Layout is a Store over an OCI image layout (a directory, or an OCI archive
// read in place) holding an image with its signatures, as `cosign save`,
// `oras cp -r` or skopeo write them: a signature manifest found by its tag
// (org.opencontainers.image.ref.name), by cosign save's kind annotation, or as
// a manifest whose subject is the image. A Layout is not safe for concurrent
// use.
type Layout struct {
	name    string
	files   image.LayoutFiles
	entries []v1.Descriptor // index.json's entries, then those of nested indexes
	// artifacts memoises the entries that parsed as artifacts, so each is
	// read once for every target and signature kind.
	artifacts map[string]*Referrer
}

var _ Store = (*Layout)(nil)

// OpenLayout opens the OCI layout of a reference as plimsoll takes it:
// oci-dir:PATH[:TAG] (or oci:…) for a directory, oci-archive:PATH[:TAG] for a
// tar of one. The tag is ignored: every entry is searched.
func OpenLayout(ref string) (*Layout, error) {
	scheme, spec, _ := strings.Cut(ref, ":")
	var archive bool
	switch scheme {
	case "oci-dir", "oci":
	case "oci-archive":
		archive = true
	default:
		return nil, fmt.Errorf("%s: not an OCI layout reference (oci-dir:PATH or oci-archive:PATH)", ref)
	}
	files, p, _, err := image.OpenLayoutFiles(spec, archive)
	if err != nil {
		return nil, fmt.Errorf("open layout: %w", err) // err names the path
	}
	l := &Layout{name: scheme + ":" + p, files: files}
	if err := l.load(); err != nil {
		files.Close()
		return nil, err
	}
	return l, nil
}

// Close releases the layout's directory or archive.
func (l *Layout) Close() error { return l.files.Close() }

// Name is "oci-dir:PATH" or "oci-archive:PATH".
func (l *Layout) Name() string { return l.name }

// load reads index.json and the indexes it nests, listing every entry.
func (l *Layout) load() error {
	raw, err := readBounded(l.files, "index.json", maxManifest)
	if err != nil {
		return fmt.Errorf("%s: index.json: %w", l.name, err)
	}
	top, err := ParseLayoutIndex(raw)
	if err != nil {
		return fmt.Errorf("%s: index.json: %w", l.name, err)
	}
	l.entries = top
	seen := map[string]bool{}
	for depth, level := 0, top; len(level) > 0; depth++ {
		var next []v1.Descriptor
		for _, d := range level {
			if !d.MediaType.IsIndex() || seen[d.Digest.String()] {
				continue
			}
			seen[d.Digest.String()] = true
			if depth >= maxIndexDepth {
				return fmt.Errorf("%s: indexes nested more than %d deep", l.name, maxIndexDepth)
			}
			b, err := l.blob(d, maxManifest)
			if errors.Is(err, fs.ErrNotExist) {
				continue // an index copied without its blob holds nothing to find
			}
			if err != nil {
				return fmt.Errorf("%s: index %s: %w", l.name, d.Digest, err)
			}
			inner, err := ParseLayoutIndex(b)
			if err != nil {
				return fmt.Errorf("%s: index %s: %w", l.name, d.Digest, err)
			}
			next = append(next, inner...)
		}
		if len(l.entries)+len(next) > maxLayoutEntries {
			return fmt.Errorf("%s: more than %d manifests in its indexes", l.name, maxLayoutEntries)
		}
		l.entries = append(l.entries, next...)
		level = next
	}
	return nil
}

// ParseLayoutIndex parses an OCI layout's index.json (or an image index in
// its blobs), bounded, returning its entries; each must name a sha256 digest.
func ParseLayoutIndex(raw []byte) ([]v1.Descriptor, error) {
	if len(raw) > maxManifest {
		return nil, fmt.Errorf("%d bytes is more than %d", len(raw), maxManifest)
	}
	var idx struct {
		SchemaVersion int64           `json:"schemaVersion"`
		MediaType     types.MediaType `json:"mediaType"`
		Manifests     []v1.Descriptor `json:"manifests"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		return nil, fmt.Errorf("not an image index: %w", err)
	}
	switch {
	case idx.SchemaVersion != 2:
		return nil, fmt.Errorf("schemaVersion %d, want 2", idx.SchemaVersion)
	case idx.MediaType != "" && !idx.MediaType.IsIndex():
		return nil, fmt.Errorf("media type %q is not an image index", idx.MediaType)
	case len(idx.Manifests) > maxLayoutEntries:
		return nil, fmt.Errorf("%d manifests, more than %d", len(idx.Manifests), maxLayoutEntries)
	}
	for i, d := range idx.Manifests {
		if d.Digest.Algorithm != "sha256" || !sha256Hex.MatchString(d.Digest.Hex) {
			return nil, fmt.Errorf("manifest %d: digest %q is not sha256:<64 hex digits>", i, d.Digest)
		}
	}
	return idx.Manifests, nil
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// blob reads blobs/sha256/<hex> of d, bounded, checking its digest. A
// missing blob is an error wrapping fs.ErrNotExist.
func (l *Layout) blob(d v1.Descriptor, limit int64) ([]byte, error) {
	if d.Digest.Algorithm != "sha256" || !sha256Hex.MatchString(d.Digest.Hex) {
		return nil, fmt.Errorf("blob digest %q is not sha256:<64 hex digits>", d.Digest)
	}
	return readChecked(d, limit, func() (io.ReadCloser, error) {
		rc, err := l.files.Open("blobs/sha256/" + d.Digest.Hex)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("missing from the layout: %w", fs.ErrNotExist)
		}
		return rc, err
	})
}

func (l *Layout) blobs(d v1.Descriptor, limit int64) ([]byte, error) {
	b, err := l.blob(d, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.name, err)
	}
	return b, nil
}

// manifest reads the manifest d names as a Referrer.
func (l *Layout) manifest(d v1.Descriptor, parse func([]byte) (*Artifact, error)) (*Referrer, error) {
	raw, err := l.blob(d, maxManifest)
	if err != nil {
		return nil, fmt.Errorf("%s: manifest %s: %w", l.name, d.Digest, err)
	}
	a, err := parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: manifest %s: %w", l.name, d.Digest, err)
	}
	return &Referrer{Artifact: *a, Digest: d.Digest.String(), blobs: l.blobs}, nil
}

// Tagged returns the manifest whose ref.name is tag (or ends in ":"+tag);
// for cosign's sha256-<hex>.sig tag, also the .sig manifest cosign save
// wrote beside the image or index of that digest. Nil when there is none.
func (l *Layout) Tagged(_ context.Context, tag string) (*Referrer, error) {
	d, ok := l.tagged(tag)
	if !ok {
		return nil, nil
	}
	if d.MediaType.IsIndex() {
		return nil, fmt.Errorf("%s: %s is an index, not a signature manifest", l.name, tag)
	}
	return l.manifest(d, parseTagged)
}

func (l *Layout) tagged(tag string) (v1.Descriptor, bool) {
	for _, d := range l.entries {
		if n := d.Annotations[RefNameAnnotation]; n != "" && (n == tag || strings.HasSuffix(n, ":"+tag)) {
			return d, true
		}
	}
	target, ok := strings.CutSuffix(tag, ".sig")
	if !ok {
		return v1.Descriptor{}, false
	}
	target = strings.Replace(target, "-", ":", 1)
	saved := false
	for _, d := range l.entries {
		k := d.Annotations[cosignKind]
		saved = saved || (d.Digest.String() == target && (k == cosignKindImage || k == cosignKindIndex))
	}
	for _, d := range l.entries {
		if saved && d.Annotations[cosignKind] == cosignKindSigs {
			return d, true
		}
	}
	return v1.Descriptor{}, false
}

// Referrers returns the artifacts attached to digest: the layout's manifests
// whose subject is digest, and those listed in the index tagged with the
// referrers tag sha256-<hex>. Each is read, bounded and checked against its
// digest, once; one whose type accept refuses is left out.
func (l *Layout) Referrers(_ context.Context, digest string, accept func(string) bool) ([]*Referrer, error) {
	var out []*Referrer
	seen := map[string]bool{}
	add := func(d v1.Descriptor, fromTag bool) error {
		if seen[d.Digest.String()] || !Listed(d, accept) {
			return nil
		}
		seen[d.Digest.String()] = true
		r, err := l.artifact(d)
		switch {
		case err != nil && fromTag:
			return err
		case r == nil:
			return nil // not an OCI manifest (the image itself may be Docker's): no referrer
		case (fromTag || r.Subject == digest) && accept(r.Type):
			out = append(out, r)
		}
		return nil
	}
	for _, d := range l.entries {
		if err := add(d, false); err != nil {
			return nil, err
		}
	}
	if d, ok := l.tagged(strings.Replace(digest, ":", "-", 1)); ok && d.MediaType.IsIndex() {
		raw, err := l.blob(d, maxManifest)
		if err != nil {
			return nil, fmt.Errorf("%s: referrers tag of %s: %w", l.name, digest, err)
		}
		listed, err := ParseLayoutIndex(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: referrers tag of %s: %w", l.name, digest, err)
		}
		for _, d := range listed {
			if err := add(d, true); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// artifact reads the manifest d names as an artifact, once when it is one;
// nil and the error when it is not.
func (l *Layout) artifact(d v1.Descriptor) (*Referrer, error) {
	if r, ok := l.artifacts[d.Digest.String()]; ok && r != nil {
		return r, nil
	}
	r, err := l.manifest(d, ParseArtifact)
	if l.artifacts == nil {
		l.artifacts = map[string]*Referrer{}
	}
	l.artifacts[d.Digest.String()] = r
	return r, err
}

// Descriptor returns the layout's entry for digest.
func (l *Layout) Descriptor(_ context.Context, digest string) (v1.Descriptor, error) {
	for _, d := range l.entries {
		if d.Digest.String() == digest {
			return v1.Descriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size}, nil
		}
	}
	return v1.Descriptor{}, fmt.Errorf("%s: no manifest %s in its index", l.name, digest)
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// readBounded reads a named file of the layout, up to limit bytes.
func readBounded(files image.LayoutFiles, name string, limit int64) ([]byte, error) {
	rc, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than %d bytes", limit)
	}
	return b, nil
}
