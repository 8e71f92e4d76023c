package list

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// BenchmarkRun catalogs a Debian base (the real 88-package status file) rewritten
// by a second layer, and an application layer of 1,000 npm packages and 100 Python
// distributions, with every cataloger. The walk is done once, outside the loop.
func BenchmarkRun(b *testing.B) {
	status, err := os.ReadFile("../dpkg/testdata/status")
	if err != nil {
		b.Fatal(err)
	}
	base := []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
		imagetest.File("var/lib/dpkg/status", string(status)),
	}
	upgrade := []imagetest.Entry{imagetest.File("var/lib/dpkg/status", string(status)+"\n")}
	var app []imagetest.Entry
	for i := range 1000 {
		app = append(app, imagetest.File(fmt.Sprintf("app/node_modules/pkg-%d/package.json", i),
			fmt.Sprintf(`{"name":"pkg-%d","version":"1.%d.0","license":"MIT"}`, i, i)))
	}
	for i := range 100 {
		app = append(app, imagetest.File(fmt.Sprintf("usr/local/lib/python3.11/site-packages/dist_%d-2.0.dist-info/METADATA", i),
			fmt.Sprintf("Metadata-Version: 2.1\nName: dist_%d\nVersion: 2.0\nLicense: MIT\n", i)))
	}
	benchmarkRun(b, catalog.Squashed, [][]imagetest.Entry{base, upgrade, app}, 88+1000+100)
}

// BenchmarkRunAllLayers is BenchmarkRun's image with a fourth layer that purges
// ten Debian packages (the status file rewritten) and deletes 100 of the npm
// packages, cataloged with --scope all-layers: the final image's 1,078
// packages and the 110 removed ones.
func BenchmarkRunAllLayers(b *testing.B) {
	status, err := os.ReadFile("../dpkg/testdata/status")
	if err != nil {
		b.Fatal(err)
	}
	base := []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
		imagetest.File("var/lib/dpkg/status", string(status)),
	}
	upgrade := []imagetest.Entry{imagetest.File("var/lib/dpkg/status", string(status)+"\n")}
	var app, cleanup []imagetest.Entry
	for i := range 1000 {
		app = append(app, imagetest.File(fmt.Sprintf("app/node_modules/pkg-%d/package.json", i),
			fmt.Sprintf(`{"name":"pkg-%d","version":"1.%d.0","license":"MIT"}`, i, i)))
		if i%10 == 0 {
			cleanup = append(cleanup, imagetest.Whiteout(fmt.Sprintf("app/node_modules/pkg-%d", i)))
		}
	}
	for i := range 100 {
		app = append(app, imagetest.File(fmt.Sprintf("usr/local/lib/python3.11/site-packages/dist_%d-2.0.dist-info/METADATA", i),
			fmt.Sprintf("Metadata-Version: 2.1\nName: dist_%d\nVersion: 2.0\nLicense: MIT\n", i)))
	}
	stanzas := strings.SplitAfter(string(status), "\n\n")
	purged := strings.Join(stanzas[10:], "")
	cleanup = append(cleanup, imagetest.File("var/lib/dpkg/status", purged))
	benchmarkRun(b, catalog.AllLayers, [][]imagetest.Entry{base, upgrade, app, cleanup}, 78+900+100+10+100)
}

func benchmarkRun(b *testing.B, scope catalog.Scope, layers [][]imagetest.Entry, want int) {
	cs := All()
	tg := catalogtest.Target(b, cs, layers...)
	tg.Scope = scope
	b.ReportAllocs()
	for b.Loop() {
		s, err := catalog.Run(context.Background(), tg, cs, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Packages) != want {
			b.Fatalf("%d packages, want %d", len(s.Packages), want)
		}
	}
}
