package dpkg

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

const (
	osRelease = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"
	stanzaA1  = "Package: liba\nStatus: install ok installed\nArchitecture: amd64\nSource: a-src (1.0-1)\nVersion: 1.0-1+b1\nInstalled-Size: 12\n"
	stanzaA2  = "Package: liba\nStatus: install ok installed\nArchitecture: amd64\nSource: a-src (1.1-1)\nVersion: 1.1-1\nInstalled-Size: 12\n"
	stanzaB   = "Package: tool\nStatus: install ok installed\nArchitecture: all\nVersion: 2:3.0\n"
	stanzaC   = "Package: newer\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.1\n"
	removed   = "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 9\n"
)

func cs() []catalog.Cataloger { return []catalog.Cataloger{New()} }

func TestCatalog(t *testing.T) {
	dep5, err := os.ReadFile("testdata/copyright-dep5")
	if err != nil {
		t.Fatal(err)
	}
	s := catalogtest.Run(t, cs(),
		[]imagetest.Entry{
			imagetest.File("etc/os-release", osRelease),
			imagetest.File("var/lib/dpkg/status", stanzaA1+"\n"+stanzaB+"\n"+removed),
			imagetest.File("var/lib/dpkg/info/liba:amd64.list", "/.\n/usr\n/usr/lib\n/usr/lib/liba.so.1\n"),
			imagetest.File("var/lib/dpkg/info/tool.md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/bin/tool\n"),
			imagetest.Dir("usr/lib"),
			imagetest.File("usr/lib/liba.so.1", "elf"),
			imagetest.File("usr/bin/tool", "elf"),
			imagetest.File("usr/share/doc/tool/copyright", string(dep5)),
		},
		[]imagetest.Entry{ // apt-get install newer; apt-get upgrade liba
			imagetest.File("var/lib/dpkg/status", stanzaA2+"\n"+stanzaB+"\n"+stanzaC+"\n"+removed+"\nbroken line\n"),
		},
	)
	const status = "/var/lib/dpkg/status"
	want := []catalogtest.Brief{
		{Name: "liba", Version: "1.1-1", Type: sbom.TypeDeb, Path: status, Layer: 1, IntroducedBy: 1,
			PURL: "pkg:deb/debian/liba@1.1-1?arch=amd64&distro=debian-12&upstream=a-src"},
		{Name: "newer", Version: "0.1", Type: sbom.TypeDeb, Path: status, Layer: 1, IntroducedBy: 1,
			PURL: "pkg:deb/debian/newer@0.1?arch=amd64&distro=debian-12"},
		{Name: "tool", Version: "2:3.0", Type: sbom.TypeDeb, Path: status, Layer: 1, IntroducedBy: 0,
			PURL:     "pkg:deb/debian/tool@2:3.0?arch=all&distro=debian-12",
			Licenses: []string{"BSD-3-Clause", "GPL-2.0-or-later", "GPL-3.0-or-later", "LGPL-2.1-or-later", "MIT"}},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	ids := map[string]string{}
	for _, p := range s.Packages {
		ids[p.Name] = p.ID
	}
	wantRels := []sbom.Relationship{
		{From: ids["liba"], To: "/usr/lib/liba.so.1", Type: sbom.Contains},
		{From: ids["tool"], To: "/usr/bin/tool", Type: sbom.Contains},
	}
	catalogtest.SortRelationships(wantRels)
	if diff := cmp.Diff(wantRels, s.Relationships); diff != "" {
		t.Errorf("relationships (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != status {
		t.Errorf("warnings = %v, want one naming %s", s.Warnings, status)
	}
	md := s.Packages[0].Metadata.(*sbom.DpkgMetadata)
	if diff := cmp.Diff(&sbom.DpkgMetadata{Source: "a-src", Architecture: "amd64", InstalledSize: 12, Files: 1}, md); diff != "" {
		t.Errorf("liba metadata (-want +got):\n%s", diff)
	}
}

// A distroless image has one file per package under status.d and no os-release
// package namespace other than debian.
func TestCatalogDistroless(t *testing.T) {
	s := catalogtest.Run(t, cs(), []imagetest.Entry{
		imagetest.File("var/lib/dpkg/status.d/tool", stanzaB),
		imagetest.File("var/lib/dpkg/status.d/tool.md5sums", "00  usr/bin/tool\n"),
		imagetest.File("var/lib/dpkg/status.d/liba", stanzaA1),
		imagetest.File("usr/bin/tool", "elf"),
	})
	want := []catalogtest.Brief{
		{Name: "liba", Version: "1.0-1+b1", Type: sbom.TypeDeb, Path: "/var/lib/dpkg/status.d/liba",
			PURL: "pkg:deb/debian/liba@1.0-1%2Bb1?arch=amd64&upstream=a-src%401.0-1"},
		{Name: "tool", Version: "2:3.0", Type: sbom.TypeDeb, Path: "/var/lib/dpkg/status.d/tool",
			PURL: "pkg:deb/debian/tool@2:3.0?arch=all"},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Files) != 1 || s.Files[0].Path != "/usr/bin/tool" {
		t.Errorf("files = %v, want /usr/bin/tool", s.Files)
	}
}

func TestCatalogRealStatus(t *testing.T) {
	b, err := os.ReadFile("testdata/status")
	if err != nil {
		t.Fatal(err)
	}
	s := catalogtest.Run(t, cs(), []imagetest.Entry{
		imagetest.File("etc/os-release", osRelease),
		imagetest.File("var/lib/dpkg/status", string(b)),
	})
	if len(s.Packages) != 88 || len(s.Warnings) != 0 {
		t.Fatalf("got %d packages and warnings %v, want 88 and none", len(s.Packages), s.Warnings)
	}
	for _, p := range s.Packages {
		if p.Name == "bash" && p.PURL != "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2" {
			t.Errorf("bash purl = %s", p.PURL)
		}
	}
}
