// Package catalogtest builds images in memory and runs catalogers over them, for
// the catalogers' tests.
package catalogtest

import (
	"context"
	"testing"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/distro"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Target builds an image of the given layers, walks it once with the catalogers'
// requests (and the distro files), and returns the target to catalog.
func Target(t testing.TB, cs []catalog.Cataloger, layers ...[]imagetest.Entry) catalog.Target {
	t.Helper()
	var ils []imagetest.Layer
	for _, es := range layers {
		ils = append(ils, imagetest.Layer{Entries: es})
	}
	img, err := imagetest.Image{Layers: ils}.Build()
	if err != nil {
		t.Fatal(err)
	}
	vls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var ls []layerfs.Layer
	for _, l := range vls {
		ls = append(ls, layerfs.Layer{Open: l.Compressed})
	}
	reqs := append(catalog.Requests(cs), layerfs.Request{Paths: distro.Files})
	fsys, err := layerfs.Walk(context.Background(), ls, layerfs.Options{Requests: reqs, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	tg := catalog.Target{FS: fsys}
	for _, s := range fsys.Layers() {
		tg.Layers = append(tg.Layers, sbom.Layer{Index: s.Index, DiffID: s.DiffID})
	}
	if d, ok := distro.Identify(fsys.ReadFile); ok {
		tg.Distro = &sbom.Distro{ID: d.ID, VersionID: d.VersionID, Codename: d.Codename, IDLike: d.IDLike, Source: d.Source}
	}
	return tg
}

// Run builds the image, runs the catalogers and returns the SBOM.
func Run(t testing.TB, cs []catalog.Cataloger, layers ...[]imagetest.Entry) *sbom.SBOM {
	t.Helper()
	s, err := catalog.Run(context.Background(), Target(t, cs, layers...), cs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Brief is a package reduced to what most tests compare.
type Brief struct {
	Name, Version string
	Type          sbom.Type
	PURL          string
	Path          string // primary location
	Layer         int    // of the primary location
	IntroducedBy  int
	Licenses      []string
	Dev           bool
}

// Briefs reduces the SBOM's packages, in the SBOM's order.
func Briefs(s *sbom.SBOM) []Brief {
	var out []Brief
	for _, p := range s.Packages {
		b := Brief{Name: p.Name, Version: p.Version, Type: p.Type, PURL: p.PURL,
			IntroducedBy: p.IntroducedBy, Licenses: p.Licenses, Dev: p.Dev}
		if len(p.Locations) > 0 {
			b.Path, b.Layer = p.Locations[0].Path, p.Locations[0].Layer
		}
		out = append(out, b)
	}
	return out
}

// SortRelationships puts relationships in the order an SBOM keeps them.
func SortRelationships(rels []sbom.Relationship) {
	s := sbom.SBOM{Relationships: rels}
	s.Sort()
}
