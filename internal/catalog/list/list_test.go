package list

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/plimsoll/plimsoll/internal/catalog"
)

func everyCataloger() []catalog.Cataloger { return append(All(), Optional()...) }

func TestNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range everyCataloger() {
		if c.Name() == "" || seen[c.Name()] {
			t.Errorf("cataloger name %q is empty or not unique", c.Name())
		}
		seen[c.Name()] = true
		if len(c.Requests()) == 0 {
			t.Errorf("cataloger %s requests no files", c.Name())
		}
	}
}

var implements = regexp.MustCompile(`(?m)^var _ catalog\.Cataloger = `)

// TestEveryCatalogerListed scans internal/catalog/* for packages that declare a
// Cataloger implementation and checks each is in All.
func TestEveryCatalogerListed(t *testing.T) {
	listed := map[string]bool{}
	for _, c := range everyCataloger() {
		listed[reflect.TypeOf(c).Elem().PkgPath()] = true
	}
	dirs, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		files, err := filepath.Glob(filepath.Join("..", d.Name(), "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !implements.Match(b) {
				continue
			}
			found++
			pkg := "github.com/plimsoll/plimsoll/internal/catalog/" + d.Name()
			if !listed[pkg] {
				t.Errorf("%s implements catalog.Cataloger (%s) but is not listed in All or Optional", pkg, f)
			}
		}
	}
	if found != len(everyCataloger()) {
		t.Errorf("found %d cataloger implementations under internal/catalog, All and Optional list %d", found, len(everyCataloger()))
	}
}

func TestWith(t *testing.T) {
	// A cataloger that runs by default may still be named (go-binary, rust-binary
	// and java-archive were optional once).
	if cs, err := With([]string{"go-binary", "rust-binary", "java-archive"}); err != nil || len(cs) != len(All()) {
		t.Errorf("With(go-binary, rust-binary, java-archive) = %d catalogers, %v; want All", len(cs), err)
	}
	if _, err := With([]string{"no-such"}); err == nil {
		t.Error("With(no-such) succeeded")
	}
}
