// Package sbom is plimsoll's software bill of materials: the packages found in an
// image, each with the layer that brought it, the files they own, the relationships
// between them, the image they came from and its distribution. It is the contract
// between cataloging and everything after it (matching, policy, monitoring), so a
// stored SBOM can be re-read without the image.
//
// The native JSON encoding (WriteJSON, ReadJSON) is lossless: decoding a document
// and encoding it again gives the same bytes.
package sbom

import (
	"cmp"
	"slices"
)

// SchemaVersion names the native JSON schema this package writes.
const SchemaVersion = "plimsoll-sbom/1"

// SBOM is the inventory of one image (or other source).
type SBOM struct {
	Schema        string         `json:"schema"`
	Source        Source         `json:"source"`
	Distro        *Distro        `json:"distro,omitempty"`
	Packages      []Package      `json:"packages"`
	Files         []File         `json:"files,omitempty"`
	Relationships []Relationship `json:"relationships,omitempty"`
	Warnings      []Warning      `json:"warnings,omitempty"`
}

// Source identifies what was cataloged.
type Source struct {
	Reference      string   `json:"reference"` // as the user gave it
	Kind           string   `json:"kind"`      // registry, docker-archive, oci-archive, oci-dir, dir
	ManifestDigest string   `json:"manifestDigest,omitempty"`
	ConfigDigest   string   `json:"configDigest,omitempty"`
	RepoDigests    []string `json:"repoDigests,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	Platform       string   `json:"platform,omitempty"` // os/arch[/variant]
	Layers         []Layer  `json:"layers,omitempty"`
	// Scope is "all-layers" when packages were also cataloged from files that
	// later layers deleted or replaced (Package.Squashed says which); empty for
	// the default squashed scope, the final image only.
	Scope string `json:"scope,omitempty"`
}

// Layer is one layer of the source image.
type Layer struct {
	Index     int    `json:"index"`
	Digest    string `json:"digest,omitempty"`
	DiffID    string `json:"diffID,omitempty"`
	Size      int64  `json:"size"`
	MediaType string `json:"mediaType,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
}

// Distro is the Linux distribution of the image.
type Distro struct {
	ID         string   `json:"id"`
	VersionID  string   `json:"versionID,omitempty"`
	Codename   string   `json:"codename,omitempty"`
	IDLike     []string `json:"idLike,omitempty"`
	PrettyName string   `json:"prettyName,omitempty"`
	Source     string   `json:"source,omitempty"` // the file it was read from
}

// File is a file a package owns, as the final image shows it.
type File struct {
	Path   string `json:"path"` // absolute; also the file's identity in relationships
	Layer  int    `json:"layer"`
	DiffID string `json:"diffID,omitempty"`
	Digest string `json:"digest,omitempty"` // "sha256:…" when computed
}

// RelationshipType says how two elements relate.
type RelationshipType string

// The relationship types.
const (
	// Contains links a package (From, a package ID) to a file it owns (To, a path).
	Contains RelationshipType = "contains"
	// Owns links an OS package (From) to a language package (To) whose files it
	// installed, as Debian's python3-django owns Django's dist-info.
	Owns RelationshipType = "owns"
)

// Relationship links a package to a file or another package.
type Relationship struct {
	From string           `json:"from"`
	To   string           `json:"to"`
	Type RelationshipType `json:"type"`
}

// Warning is a problem that did not stop cataloging: a file that could not be
// parsed, a package skipped.
type Warning struct {
	Cataloger string `json:"cataloger,omitempty"`
	Path      string `json:"path,omitempty"`
	Message   string `json:"message"`
}

func (w Warning) String() string {
	s := w.Message
	if w.Path != "" {
		s = w.Path + ": " + s
	}
	if w.Cataloger != "" {
		s = w.Cataloger + ": " + s
	}
	return s
}

// Sort puts every list in its canonical order, so that the same image always gives
// the same document.
func (s *SBOM) Sort() {
	for i := range s.Packages {
		s.Packages[i].sortFields()
	}
	slices.SortFunc(s.Packages, ComparePackages)
	slices.SortFunc(s.Files, func(a, b File) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(s.Relationships, func(a, b Relationship) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.Type, b.Type), cmp.Compare(a.To, b.To))
	})
	s.Relationships = slices.Compact(s.Relationships)
	slices.SortStableFunc(s.Warnings, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.Cataloger, b.Cataloger), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Message, b.Message))
	})
	s.Warnings = slices.Compact(s.Warnings)
}
