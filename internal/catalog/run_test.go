package catalog_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// fake reads /pkgs/<name>.txt files holding "version\nowned-path…" and reports one
// package of type typ per file.
type fake struct {
	name string
	typ  sbom.Type
	dir  string
	fail error
}

var _ catalog.Cataloger = (*fake)(nil)

func (f *fake) Name() string { return f.name }

func (f *fake) Requests() []layerfs.Request {
	return []layerfs.Request{{Globs: []string{f.dir + "/*.txt"}}}
}

func (f *fake) Catalog(_ context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	if f.fail != nil {
		return nil, nil, f.fail
	}
	var pkgs []sbom.Package
	var rels []sbom.Relationship
	for _, file := range in.Files() {
		b, err := in.ReadFile(file.Path)
		if err != nil {
			in.Warn(file.Path, err)
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if lines[0] == "" {
			in.Warnf(file.Path, "no version")
			continue
		}
		name := strings.TrimSuffix(file.Path[len(f.dir)+1:], ".txt")
		p := sbom.Package{Name: name, Version: lines[0], Type: f.typ, Locations: []sbom.Location{in.Location(file.Path)}}
		p.IntroducedBy = catalog.IntroducedBy(in.Versions(file.Path), file.Layer, func(v catalog.Version) bool {
			first, _, _ := strings.Cut(string(v.Content), "\n")
			return first == lines[0]
		})
		p.ComputeID()
		pkgs = append(pkgs, p)
		for _, owned := range lines[1:] {
			rels = append(rels, sbom.Relationship{From: p.ID, To: owned, Type: sbom.Contains})
		}
	}
	return pkgs, rels, nil
}

func TestRun(t *testing.T) {
	os := &fake{name: "os", typ: sbom.TypeDeb, dir: "/os"}
	lang := &fake{name: "lang", typ: sbom.TypePython, dir: "/lang"}
	broken := &fake{name: "broken", typ: sbom.TypeNpm, dir: "/x", fail: errors.New("database locked")}
	cs := []catalog.Cataloger{os, lang, broken}
	s := catalogtest.Run(t, cs,
		[]imagetest.Entry{
			imagetest.File("os/a.txt", "1.0\n/usr/bin/a\n/lang/py.txt"),
			imagetest.File("os/b.txt", "2.0"),
			imagetest.File("os/gone.txt", "1.0"),
			imagetest.File("usr/bin/a", "elf"),
		},
		[]imagetest.Entry{
			imagetest.File("os/a.txt", "1.0\n/usr/bin/a\n/lang/py.txt"), // rewritten, same version
			imagetest.File("os/b.txt", "2.1"),                           // upgraded
			imagetest.Whiteout("os/gone.txt"),
			imagetest.File("os/empty.txt", ""),
		},
		[]imagetest.Entry{imagetest.File("lang/py.txt", "3.0")},
	)
	want := []catalogtest.Brief{
		{Name: "a", Version: "1.0", Type: sbom.TypeDeb, Path: "/os/a.txt", Layer: 1, IntroducedBy: 0},
		{Name: "b", Version: "2.1", Type: sbom.TypeDeb, Path: "/os/b.txt", Layer: 1, IntroducedBy: 1},
		{Name: "py", Version: "3.0", Type: sbom.TypePython, Path: "/lang/py.txt", Layer: 2, IntroducedBy: 2},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	var a, py sbom.Package
	for _, p := range s.Packages {
		switch p.Name {
		case "a":
			a = p
		case "py":
			py = p
		}
		if p.Cataloger == "" || p.ID == "" {
			t.Errorf("package %s has no cataloger or ID", p.Name)
		}
	}
	wantRels := []sbom.Relationship{
		{From: a.ID, To: "/lang/py.txt", Type: sbom.Contains},
		{From: a.ID, To: "/usr/bin/a", Type: sbom.Contains},
		{From: a.ID, To: py.ID, Type: sbom.Owns},
	}
	if diff := cmp.Diff(wantRels, s.Relationships); diff != "" {
		t.Errorf("relationships (-want +got):\n%s", diff)
	}
	wantFiles := []sbom.File{{Path: "/lang/py.txt", Layer: 2, DiffID: s.Packages[2].Locations[0].DiffID}, {Path: "/usr/bin/a", Layer: 0}}
	if diff := cmp.Diff(wantFiles, s.Files, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".DiffID" }, cmp.Ignore())); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	wantWarnings := []sbom.Warning{
		{Cataloger: "broken", Message: "database locked"},
		{Cataloger: "os", Path: "/os/empty.txt", Message: "no version"},
	}
	if diff := cmp.Diff(wantWarnings, s.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestRunCancelled(t *testing.T) {
	cs := []catalog.Cataloger{&fake{name: "os", typ: sbom.TypeDeb, dir: "/os"}}
	tg := catalogtest.Target(t, cs, []imagetest.Entry{imagetest.File("os/a.txt", "1")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := catalog.Run(ctx, tg, cs, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestIntroducedBy(t *testing.T) {
	v := func(layer int, c string) catalog.Version { return catalog.Version{Layer: layer, Content: []byte(c)} }
	has := func(v catalog.Version) bool { return strings.Contains(string(v.Content), "x") }
	tests := []struct {
		name string
		vs   []catalog.Version
		want int
	}{
		{"none", nil, 7},
		{"one", []catalog.Version{v(3, "x")}, 3},
		{"persists from the first", []catalog.Version{v(0, "x"), v(2, "xy"), v(4, "x")}, 0},
		{"removed then re-added", []catalog.Version{v(0, "x"), v(1, "y"), v(3, "x")}, 3},
		{"not held breaks the chain", []catalog.Version{v(0, "x"), {Layer: 1}, v(2, "x")}, 2},
		{"visible not held", []catalog.Version{v(0, "x"), {Layer: 5}}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := catalog.IntroducedBy(tc.vs, 7, has); got != tc.want {
				t.Errorf("IntroducedBy = %d, want %d", got, tc.want)
			}
		})
	}
}
