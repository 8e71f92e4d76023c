package packages_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/packages"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func input() *gate.Input {
	return &gate.Input{SBOM: &sbom.SBOM{Packages: []sbom.Package{
		{Name: "openssl", Version: "3.0.11-1~deb12u2", Type: sbom.TypeDeb, IntroducedBy: 0, Licenses: []string{"Apache-2.0"}},
		{Name: "openssh-server", Version: "1:9.2p1-2", Type: sbom.TypeDeb, IntroducedBy: 1, Licenses: []string{"BSD-2-Clause", "GPL-2.0-or-later"}},
		{Name: "readline", Version: "8.2", Type: sbom.TypeDeb, IntroducedBy: 0, Licenses: []string{"GPL-3.0-only"}},
		{Name: "lodash", Version: "4.17.21", Type: sbom.TypeNpm, IntroducedBy: 2, Licenses: []string{"MIT"},
			Locations: []sbom.Location{{Path: "/app/node_modules/lodash/package.json", Layer: 2}}},
		// Held by layer 0's image, purged by layer 3 (--scope all-layers).
		{Name: "ca-certificates", Version: "20230311", Type: sbom.TypeDeb, IntroducedBy: 0, Squashed: &removed, RemovedBy: 3},
	}}}
}

var removed = false

func TestPackages(t *testing.T) {
	tests := []struct {
		name, trigger string
		args          map[string]string
		want          []string
	}{
		{"present", "required_package", map[string]string{"name": "openssl"}, nil},
		{"absent", "required_package", map[string]string{"name": "ca-certificates"}, []string{"ca-certificates@-"}},
		{"exact version differs", "required_package", map[string]string{"name": "lodash", "version": "4.17.20"}, []string{"lodash@-"}},
		// A package a later layer removed is not installed.
		{"only in a removed layer", "required_package", map[string]string{"name": "ca-certificates"}, []string{"ca-certificates@-"}},
		{"minimum met", "required_package", map[string]string{"name": "lodash", "version": "4.17.20", "version_match_type": "minimum"}, nil},
		{"minimum unmet", "required_package", map[string]string{"name": "openssl", "version": "3.0.13-1~deb12u1", "version_match_type": "minimum"}, []string{"openssl@-"}},
		{"denied", "blacklist", map[string]string{"name": "openssh-server"}, []string{"openssh-server@1"}},
		{"denied version differs", "blacklist", map[string]string{"name": "lodash", "version": "1.0.0"}, nil},
		{"denied os only", "blacklist", map[string]string{"name": "lodash", "package_type": "os"}, nil},
		{"denied language only", "blacklist", map[string]string{"name": "lodash", "package_type": "non-os"}, []string{"lodash@2"}},
		{"required os only", "required_package", map[string]string{"name": "lodash", "package_type": "os"}, []string{"lodash@-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, packages.New(), tc.trigger, tc.args, input()))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}
