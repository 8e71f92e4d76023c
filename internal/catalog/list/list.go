// Package list names every cataloger plimsoll runs, in the order they run. It is
// the one place a cataloger is registered; a test checks that every cataloger
// package under internal/catalog is listed here.
package list

import (
	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/apk"
	"github.com/plimsoll/plimsoll/internal/catalog/dotnet"
	"github.com/plimsoll/plimsoll/internal/catalog/dpkg"
	"github.com/plimsoll/plimsoll/internal/catalog/npm"
	"github.com/plimsoll/plimsoll/internal/catalog/php"
	"github.com/plimsoll/plimsoll/internal/catalog/python"
	"github.com/plimsoll/plimsoll/internal/catalog/ruby"
)

// All returns a fresh instance of every cataloger, in the order they run: OS
// package managers first, so language packages can be linked to the OS packages
// that own their files.
func All() []catalog.Cataloger {
	return []catalog.Cataloger{
		dpkg.New(),
		apk.New(),
		npm.New(),
		python.New(),
		ruby.New(),
		php.New(),
		dotnet.New(),
	}
}
