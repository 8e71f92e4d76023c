package catalog

import (
	"archive/tar"
	"fmt"
	"path"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Input is what a cataloger reads: the image's file index, its distribution and
// layers, and the visible files that match the cataloger's requests.
type Input struct {
	FS     *layerfs.FS
	Distro *sbom.Distro // nil when unknown
	Layers []sbom.Layer

	files    []*layerfs.File
	history  *history
	warnings []sbom.Warning
	name     string
}

// Files returns the visible regular files that match the cataloger's requests,
// sorted by path.
func (in *Input) Files() []*layerfs.File { return in.files }

// ReadFile returns the held content of the visible file at p, symlinks followed.
func (in *Input) ReadFile(p string) ([]byte, error) { return in.FS.ReadFile(p) }

// Warn records a problem with one file; cataloging goes on.
func (in *Input) Warn(p string, err error) {
	in.warnings = append(in.warnings, sbom.Warning{Cataloger: in.name, Path: p, Message: err.Error()})
}

// Warnf records a problem with one file, formatted.
func (in *Input) Warnf(p, format string, args ...any) { in.Warn(p, fmt.Errorf(format, args...)) }

// Location describes the visible file at p as package evidence: its path, the
// layer it came from and that layer's diffID.
func (in *Input) Location(p string) sbom.Location {
	loc := sbom.Location{Path: p}
	if f, ok := in.FS.Lookup(p); ok {
		loc.Layer = f.Layer
		if f.Layer < len(in.Layers) {
			loc.DiffID = in.Layers[f.Layer].DiffID
		}
	}
	return loc
}

// Versions returns every version of the file at p that the layers wrote, oldest
// first, up to and including the visible one. A version whose content was not held
// (another type of entry at that path, or a file over the size cap) has nil Content.
func (in *Input) Versions(p string) []Version {
	if in.history == nil {
		return nil
	}
	return in.history.versions(p)
}

// matches reports whether any request wants the visible file f, as layerfs decides
// during the walk.
func matches(reqs []layerfs.Request, f *layerfs.File) bool {
	base := path.Base(f.Path)
	var h *tar.Header
	for i := range reqs {
		r := &reqs[i]
		for _, x := range r.Paths {
			if x == f.Path {
				return true
			}
		}
		for _, b := range r.BaseNames {
			if b == base {
				return true
			}
		}
		for _, g := range r.Globs {
			if ok, _ := path.Match(g, f.Path); ok {
				return true
			}
		}
		if r.Match != nil {
			if h == nil {
				h = header(f)
			}
			if r.Match(f.Path, h) {
				return true
			}
		}
	}
	return false
}

// header rebuilds the tar header fields a Match predicate may look at.
func header(f *layerfs.File) *tar.Header {
	return &tar.Header{
		Name: f.Path[1:], Typeflag: tar.TypeReg, Mode: int64(f.Mode), Size: f.Size,
		Uid: f.UID, Gid: f.GID, Linkname: f.Linkname,
	}
}
