package policy

import (
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/always"
	"github.com/plimsoll/plimsoll/internal/policy/gate/dockerfile"
	"github.com/plimsoll/plimsoll/internal/policy/gate/files"
	"github.com/plimsoll/plimsoll/internal/policy/gate/licenses"
	"github.com/plimsoll/plimsoll/internal/policy/gate/metadata"
	"github.com/plimsoll/plimsoll/internal/policy/gate/packages"
	"github.com/plimsoll/plimsoll/internal/policy/gate/passwdfile"
	"github.com/plimsoll/plimsoll/internal/policy/gate/secretscans"
	"github.com/plimsoll/plimsoll/internal/policy/gate/trust"
	"github.com/plimsoll/plimsoll/internal/policy/gate/vulnerabilities"
)

// Gates returns every gate, in one place; there is no registration.
func Gates() []gate.Gate {
	return []gate.Gate{
		always.New(),
		dockerfile.New(),
		files.New(),
		licenses.New(),
		metadata.New(),
		packages.New(),
		passwdfile.New(),
		secretscans.New(),
		trust.New(),
		vulnerabilities.New(),
	}
}
