package list

import (
	"context"
	"fmt"
	"os"
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
	cs := All()
	tg := catalogtest.Target(b, cs, base, upgrade, app)
	b.ReportAllocs()
	for b.Loop() {
		s, err := catalog.Run(context.Background(), tg, cs, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Packages) != 88+1000+100 {
			b.Fatalf("%d packages", len(s.Packages))
		}
	}
}
