package licenses_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/licenses"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func input() *gate.Input {
	return &gate.Input{SBOM: &sbom.SBOM{Packages: []sbom.Package{
		{Name: "openssl", Version: "3.0.11-1~deb12u2", Type: sbom.TypeDeb, IntroducedBy: 0, Licenses: []string{"Apache-2.0"}},
		{Name: "openssh-server", Version: "1:9.2p1-2", Type: sbom.TypeDeb, IntroducedBy: 1, Licenses: []string{"BSD-2-Clause", "GPL-2.0-or-later"}},
		{Name: "readline", Version: "8.2", Type: sbom.TypeDeb, IntroducedBy: 0, Licenses: []string{"GPL-3.0-only"}},
		{Name: "lodash", Version: "4.17.21", Type: sbom.TypeNpm, IntroducedBy: 2, Licenses: []string{"MIT"},
			Locations: []sbom.Location{{Path: "/app/node_modules/lodash/package.json", Layer: 2}}},
	}}}
}

func TestLicenses(t *testing.T) {
	exact := gatetest.IDs(gatetest.Run(t, licenses.New(), "blacklist_exact_match", map[string]string{"licenses": "GPL-3.0-only,AGPL-3.0-only"}, input()))
	if diff := cmp.Diff([]string{"GPL-3.0-only+readline@0"}, exact); diff != "" {
		t.Errorf("exact (-want +got):\n%s", diff)
	}
	partial := gatetest.IDs(gatetest.Run(t, licenses.New(), "blacklist_partial_match", map[string]string{"licenses": "GPL"}, input()))
	if diff := cmp.Diff([]string{"GPL-2.0-or-later+openssh-server@1", "GPL-3.0-only+readline@0"}, partial); diff != "" {
		t.Errorf("partial (-want +got):\n%s", diff)
	}
}
