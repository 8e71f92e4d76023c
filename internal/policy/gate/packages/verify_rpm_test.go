package packages_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/packages"
)

// TestVerifyRPMDatabases: every form of the rpm database is read (the
// catalog's fixtures: the same two packages in SQLite, Berkeley DB and NDB),
// and a form a migration left behind beside a newer one is not read twice.
func TestVerifyRPMDatabases(t *testing.T) {
	fixture := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "catalog", "rpm", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	present := gatetest.Reg("/usr/bin/hello", 0, 0o644, "hello")
	want := []string{"hello-tool:/usr/share/doc/hello-tool/README@-", "libdemo:/usr/lib64/libdemo.so.0@-"}
	tests := []struct {
		name string
		fs   gatetest.FS
	}{
		{"sqlite", gatetest.FS{gatetest.Reg("/var/lib/rpm/rpmdb.sqlite", 0, 0o644, fixture("rpmdb.sqlite")), present}},
		{"berkeley db", gatetest.FS{gatetest.Reg("/var/lib/rpm/Packages", 0, 0o644, fixture("Packages")), present}},
		{"ndb", gatetest.FS{gatetest.Reg("/usr/lib/sysimage/rpm/Packages.db", 0, 0o644, fixture("Packages.db")), present}},
		{"migrated", gatetest.FS{gatetest.Reg("/var/lib/rpm/rpmdb.sqlite", 0, 0o644, fixture("rpmdb.sqlite")),
			gatetest.Reg("/var/lib/rpm/Packages", 0, 0o644, fixture("Packages")), present}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, packages.New(), "verify", map[string]string{"check": "missing"}, &gate.Input{FS: tc.fs}))
			slices.Sort(got) // database order differs between the forms
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}
