package vulndb

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPackageFromPURL(t *testing.T) {
	tests := []struct {
		purl               string
		eco, name, version string
	}{
		{"pkg:pypi/Django@4.2.1", "PyPI", "Django", "4.2.1"},
		{"pkg:npm/%40babel/core@7.0.0", "npm", "@babel/core", "7.0.0"},
		{"pkg:golang/github.com/lib/pq@v1.10.0", "Go", "github.com/lib/pq", "v1.10.0"},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"},
		{"pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12", "Debian:12", "openssl", "3.0.11-1"},
		{"pkg:deb/ubuntu/openssl?distro=ubuntu-22.04", "Ubuntu:22.04:LTS", "openssl", ""},
		{"pkg:apk/alpine/vte?arch=source&distro=alpine-3.19.1", "Alpine:v3.19", "vte", ""},
		{"pkg:rpm/rocky/bash?distro=rocky-9.3", "Rocky Linux:9", "bash", ""},
		{"pkg:cargo/serde", "crates.io", "serde", ""},
	}
	for _, tc := range tests {
		t.Run(tc.purl, func(t *testing.T) {
			eco, name, version, err := PackageFromPURL(tc.purl)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{tc.eco, tc.name, tc.version}, []string{eco, name, version}); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"npm/foo", "pkg:npm", "pkg:unknown/x", "pkg:npm/%zz"} {
		if _, _, _, err := PackageFromPURL(bad); err == nil {
			t.Errorf("PackageFromPURL(%q) succeeded, want an error", bad)
		}
	}
}

func FuzzPackageFromPURL(f *testing.F) {
	for _, s := range []string{"pkg:npm/%40babel/core@7.0.0", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12", "pkg:maven/g/a@1#x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		eco, name, _, err := PackageFromPURL(s)
		if err != nil {
			return
		}
		if eco == "" || NormalizeEcosystem(eco) != eco {
			t.Fatalf("ecosystem %q of %q is not normalised", eco, s)
		}
		_ = name
	})
}
