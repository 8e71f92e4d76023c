package catalog_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/apk"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/catalog/dpkg"
	"github.com/plimsoll/plimsoll/internal/catalog/npm"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func stanza(name, version string) string {
	return "Package: " + name + "\nStatus: install ok installed\nArchitecture: amd64\nVersion: " + version + "\n\n"
}

func npmManifest(name, version string) string {
	return `{"name":"` + name + `","version":"` + version + `"}`
}

// historyImage has, in four layers: a Debian base with three packages; an npm
// application; a layer that purges one Debian package (the status file
// rewritten), deletes one npm package's directory by a whiteout and upgrades
// another (its package.json replaced); and a layer that rewrites the status
// file again, keeping what the previous one said.
func historyImage() [][]imagetest.Entry {
	F, W := imagetest.File, imagetest.Whiteout
	return [][]imagetest.Entry{
		{
			F("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
			F("var/lib/dpkg/status", stanza("base-files", "12.4")+stanza("curl", "7.88.1-10")+stanza("tar", "1.34")),
		},
		{
			F("app/node_modules/lodash/package.json", npmManifest("lodash", "4.17.20")),
			F("app/node_modules/minimist/package.json", npmManifest("minimist", "1.2.5")),
			F("app/node_modules/left-pad/package.json", npmManifest("left-pad", "1.3.0")),
		},
		{
			F("var/lib/dpkg/status", stanza("base-files", "12.4")+stanza("tar", "1.34")),
			W("app/node_modules/minimist"),
			F("app/node_modules/lodash/package.json", npmManifest("lodash", "4.17.21")),
		},
		{
			F("var/lib/dpkg/status", stanza("base-files", "12.4")+stanza("tar", "1.34")),
		},
	}
}

// scoped is a package as the scope tests compare it.
type scoped struct {
	catalogtest.Brief
	Squashed  *bool
	RemovedBy int
	Layers    []int // of every location
}

func scopedPackages(s *sbom.SBOM) []scoped {
	var out []scoped
	for i, b := range catalogtest.Briefs(s) {
		p := s.Packages[i]
		b.PURL = ""
		sp := scoped{Brief: b, Squashed: p.Squashed, RemovedBy: p.RemovedBy}
		for _, l := range p.Locations {
			sp.Layers = append(sp.Layers, l.Layer)
		}
		out = append(out, sp)
	}
	return out
}

func TestRunAllLayers(t *testing.T) {
	cs := []catalog.Cataloger{dpkg.New(), npm.New()}
	tg := catalogtest.Target(t, cs, historyImage()...)
	squashed, err := catalog.Run(context.Background(), tg, cs, nil)
	if err != nil {
		t.Fatal(err)
	}
	tg.Scope = catalog.AllLayers
	all, err := catalog.Run(context.Background(), tg, cs, nil)
	if err != nil {
		t.Fatal(err)
	}
	yes, no := new(bool), new(bool)
	*yes = true
	const status, nm = "/var/lib/dpkg/status", "/app/node_modules/"
	deb := func(name, version string, intro int, sq *bool, removedBy int, layers ...int) scoped {
		return scoped{Brief: catalogtest.Brief{Name: name, Version: version, Type: sbom.TypeDeb, Path: status,
			Layer: layers[0], IntroducedBy: intro}, Squashed: sq, RemovedBy: removedBy, Layers: layers}
	}
	js := func(name, version string, intro int, sq *bool, removedBy int) scoped {
		return scoped{Brief: catalogtest.Brief{Name: name, Version: version, Type: sbom.TypeNpm,
			Path: nm + name + "/package.json", Layer: intro, IntroducedBy: intro}, Squashed: sq, RemovedBy: removedBy, Layers: []int{intro}}
	}
	want := []scoped{
		deb("base-files", "12.4", 0, yes, 0, 3),
		// Purged by layer 2's apt-get: held by the status files of layers 0 and 1.
		deb("curl", "7.88.1-10", 0, no, 2, 0),
		deb("tar", "1.34", 0, yes, 0, 3),
		js("left-pad", "1.3.0", 1, yes, 0),
		js("lodash", "4.17.20", 1, no, 2), // replaced by 4.17.21
		js("lodash", "4.17.21", 2, yes, 0),
		js("minimist", "1.2.5", 1, no, 2), // its directory whited out
	}
	if diff := cmp.Diff(want, scopedPackages(all)); diff != "" {
		t.Errorf("all-layers packages (-want +got):\n%s", diff)
	}
	if all.Packages[0].ID != squashed.Packages[0].ID {
		t.Errorf("the final image's packages have other IDs in all-layers scope")
	}

	// The squashed scope is today's: only the final image, nothing marked.
	var wantSquashed []scoped
	for _, w := range want {
		if *w.Squashed {
			w.Squashed = nil
			wantSquashed = append(wantSquashed, w)
		}
	}
	if diff := cmp.Diff(wantSquashed, scopedPackages(squashed)); diff != "" {
		t.Errorf("squashed packages (-want +got):\n%s", diff)
	}
}

// dpkgStatus is a dpkg status file listing pkgs, each at version 1.0.
func dpkgStatus(pkgs ...string) imagetest.Entry {
	var b string
	for _, p := range pkgs {
		b += stanza(p, "1.0")
	}
	return imagetest.File("var/lib/dpkg/status", b)
}

// runAllLayers catalogs the layers with cs in all-layers scope and renders
// each package as "name[ version] introducedBy=… inFinal=… removedBy=…".
func runAllLayers(t *testing.T, cs []catalog.Cataloger, withVersion bool, layers ...[]imagetest.Entry) []string {
	t.Helper()
	tg := catalogtest.Target(t, cs, layers...)
	tg.Scope = catalog.AllLayers
	got, err := catalog.Run(context.Background(), tg, cs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var brief []string
	for _, p := range got.Packages {
		name := p.Name
		if withVersion {
			name += " " + p.Version
		}
		brief = append(brief, fmt.Sprintf("%s introducedBy=%d inFinal=%t removedBy=%d", name, p.IntroducedBy, p.InFinalImage(), p.RemovedBy))
	}
	return brief
}

// A package removed and reinstalled is in the final image: all-layers reports it
// once, as the squashed scope does. A package removed, reinstalled and removed
// again is reported once, from the layer that first held it, removed by the last
// removal.
func TestRunAllLayersReinstalled(t *testing.T) {
	s := dpkgStatus
	brief := runAllLayers(t, []catalog.Cataloger{dpkg.New()}, false,
		[]imagetest.Entry{s("a", "b")},
		[]imagetest.Entry{s("b")},
		[]imagetest.Entry{s("a", "b")},
		[]imagetest.Entry{s("a")},
	)
	want := []string{
		"a introducedBy=2 inFinal=true removedBy=0",
		"b introducedBy=0 inFinal=false removedBy=3",
	}
	if diff := cmp.Diff(want, brief); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

func TestParseScope(t *testing.T) {
	for in, want := range map[string]catalog.Scope{"": catalog.Squashed, "squashed": catalog.Squashed, "all-layers": catalog.AllLayers, "All-Layers": catalog.AllLayers} {
		if got, err := catalog.ParseScope(in); err != nil || got != want {
			t.Errorf("ParseScope(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := catalog.ParseScope("everything"); err == nil {
		t.Error(`ParseScope("everything") accepted`)
	}
}

// TestRunAllLayersApk: apk's installed database is rewritten whole by every
// layer that runs apk; all-layers reads each layer's copy as that layer's
// package set. Upgrading libcrypto3 and deleting busybox gives both removed,
// with the layer that changed the database.
func TestRunAllLayersApk(t *testing.T) {
	entry := func(name, version, origin string) string {
		return "P:" + name + "\nV:" + version + "\nA:x86_64\no:" + origin + "\n\n"
	}
	db := func(s ...string) imagetest.Entry { return imagetest.File("lib/apk/db/installed", strings.Join(s, "")) }
	musl, busybox := entry("musl", "1.2.4-r2", "musl"), entry("busybox", "1.36.1-r15", "busybox")
	brief := runAllLayers(t, []catalog.Cataloger{apk.New()}, true,
		[]imagetest.Entry{imagetest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"), db(musl, busybox, entry("libcrypto3", "3.1.4-r1", "openssl"))},
		[]imagetest.Entry{db(musl, busybox, entry("libcrypto3", "3.1.4-r5", "openssl"))},
		[]imagetest.Entry{db(musl, entry("libcrypto3", "3.1.4-r5", "openssl"))},
	)
	want := []string{
		"busybox 1.36.1-r15 introducedBy=0 inFinal=false removedBy=2",
		"libcrypto3 3.1.4-r1 introducedBy=0 inFinal=false removedBy=1",
		"libcrypto3 3.1.4-r5 introducedBy=1 inFinal=true removedBy=0",
		"musl 1.2.4-r2 introducedBy=0 inFinal=true removedBy=0",
	}
	if diff := cmp.Diff(want, brief); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

// TestRunAllLayersCap: all-layers reads nothing the walk did not hold. An
// earlier layer's copy of the status file over the per-file cap is not read:
// the packages only it listed are missing, and a warning names the file and
// its layer.
func TestRunAllLayersCap(t *testing.T) {
	big := stanza("base-files", "12.4") + stanza("curl", "7.88.1-10") + strings.Repeat("#", 512) + "\n"
	final := stanza("base-files", "12.4")
	cs := []catalog.Cataloger{dpkg.New()}
	var ls []layerfs.Layer
	for _, es := range [][]imagetest.Entry{
		{imagetest.File("var/lib/dpkg/status", big)},
		{imagetest.File("var/lib/dpkg/status", final)},
	} {
		b := imagetest.Tar(es...)
		ls = append(ls, layerfs.Layer{Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }})
	}
	fsys, err := layerfs.Walk(context.Background(), ls, layerfs.Options{Requests: catalog.Requests(cs), MaxFileSize: int64(len(final) + 1)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := catalog.Run(context.Background(), catalog.Target{FS: fsys, Layers: make([]sbom.Layer, 2), Scope: catalog.AllLayers}, cs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Packages) != 1 || got.Packages[0].Name != "base-files" {
		t.Errorf("packages %+v, want base-files alone", got.Packages)
	}
	found := false
	for _, w := range got.Warnings {
		if w.Path == "/var/lib/dpkg/status" && strings.Contains(w.Message, "layer 0; not in the final image") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning names layer 0's status file: %v", got.Warnings)
	}
}

// A package removed, reinstalled and removed again is removed for good by the
// last removal, not the first.
func TestRunAllLayersRemovedTwice(t *testing.T) {
	s := dpkgStatus
	brief := runAllLayers(t, []catalog.Cataloger{dpkg.New()}, false,
		[]imagetest.Entry{s("a", "b", "c")},
		[]imagetest.Entry{s("b", "c")},
		[]imagetest.Entry{s("a", "b", "c")},
		[]imagetest.Entry{s("b", "c")},
		[]imagetest.Entry{imagetest.Whiteout("var/lib/dpkg/status")},
		[]imagetest.Entry{s("c")},
		[]imagetest.Entry{s("d")},
	)
	want := []string{
		"a introducedBy=0 inFinal=false removedBy=3",
		"b introducedBy=0 inFinal=false removedBy=4", // its status file whited out
		"c introducedBy=0 inFinal=false removedBy=6", // gone with layer 4's whiteout, back in layer 5
		"d introducedBy=6 inFinal=true removedBy=0",
	}
	if diff := cmp.Diff(want, brief); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}
