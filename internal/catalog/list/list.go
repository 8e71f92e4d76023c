// Package list names every cataloger plimsoll runs, in the order they run, and
// those that run only when asked for. It is the one place a cataloger is
// registered; a test checks that every cataloger package under internal/catalog is
// listed here.
package list

import (
	"fmt"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/apk"
	"github.com/plimsoll/plimsoll/internal/catalog/dotnet"
	"github.com/plimsoll/plimsoll/internal/catalog/dpkg"
	"github.com/plimsoll/plimsoll/internal/catalog/golang"
	"github.com/plimsoll/plimsoll/internal/catalog/java"
	"github.com/plimsoll/plimsoll/internal/catalog/npm"
	"github.com/plimsoll/plimsoll/internal/catalog/php"
	"github.com/plimsoll/plimsoll/internal/catalog/python"
	"github.com/plimsoll/plimsoll/internal/catalog/rpm"
	"github.com/plimsoll/plimsoll/internal/catalog/ruby"
	"github.com/plimsoll/plimsoll/internal/catalog/rust"
)

// All returns a fresh instance of every cataloger, in the order they run: OS
// package managers first, so language packages can be linked to the OS packages
// that own their files.
func All() []catalog.Cataloger {
	return []catalog.Cataloger{
		dpkg.New(),
		apk.New(),
		rpm.New(),
		npm.New(),
		python.New(),
		ruby.New(),
		php.New(),
		dotnet.New(),
		golang.New(),
		rust.New(),
		java.New(),
	}
}

// Optional returns the catalogers that run only when asked for by name. There
// are none now: go-binary, rust-binary and java-archive were optional while the
// walk held every candidate file whole; each now reduces its files as the layers
// stream (layerfs.Request.ReduceStream and Reduce) and runs by default.
func Optional() []catalog.Cataloger { return nil }

// With returns All plus the optional catalogers named, in the order given. Naming
// one that runs by default is allowed and changes nothing.
func With(names []string) ([]catalog.Cataloger, error) {
	cs := All()
	for _, n := range names {
		found := slices.ContainsFunc(cs, func(c catalog.Cataloger) bool { return c.Name() == n })
		for _, c := range Optional() {
			if !found && c.Name() == n {
				cs = append(cs, c)
				found = true
				break
			}
		}
		if !found {
			var known []string
			for _, c := range Optional() {
				known = append(known, c.Name())
			}
			return nil, fmt.Errorf("no optional cataloger %q (optional: %s)", n, strings.Join(known, ", "))
		}
	}
	return cs, nil
}
