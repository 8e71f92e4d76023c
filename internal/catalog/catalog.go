// Package catalog finds the packages in an image. Each cataloger, one package per
// ecosystem under internal/catalog/, declares the files it needs (Requests) and
// reads them from the file index of a single walk over the layers (Catalog). The
// runner (Run) hands every cataloger its files, records per-file failures as
// warnings, attributes each package to the layer that introduced it, links OS
// packages to the files and language packages they own, and returns a sorted SBOM.
//
// The catalogers themselves are listed in one place, internal/catalog/list.
package catalog

import (
	"context"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Cataloger finds one ecosystem's packages.
type Cataloger interface {
	// Name is short, unique and stable: it is written into every package found.
	Name() string
	// Requests declares the files whose contents Catalog reads, in every layer.
	Requests() []layerfs.Request
	// Catalog returns the packages found in the image and their relationships.
	// Packages carry their IDs (sbom.Package.ComputeID) so that relationships can
	// name them. A file that cannot be parsed is reported with Input.Warn, not
	// returned as an error; an error means the cataloger could not run at all.
	Catalog(ctx context.Context, in *Input) ([]sbom.Package, []sbom.Relationship, error)
}

// Requests gathers the requests of every cataloger, for the one walk.
func Requests(cs []Cataloger) []layerfs.Request {
	var out []layerfs.Request
	for _, c := range cs {
		out = append(out, c.Requests()...)
	}
	return out
}
