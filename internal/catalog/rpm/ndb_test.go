package rpm

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Offsets in testdata/Packages.db: one slot page, the slots of package 1
// (libdemo) and 2 (hello-tool) after the 32-byte file header, their blobs at
// blocks 0x100 and 0x170.
const (
	ndbSlot1 = 32
	ndbSlot2 = 48
	ndbBlob1 = 0x100 * 16
	ndbBlob2 = 0x170 * 16
)

func TestReadNDB(t *testing.T) {
	blobs, err := ReadNDB(read(t, "testdata/Packages.db"))
	if err != nil {
		t.Fatal(err)
	}
	var got []Package
	for _, b := range blobs {
		h, err := ParseHeader(b)
		if err != nil {
			t.Fatal(err)
		}
		if h.Size == 0 {
			t.Errorf("%s: no installed size read", h.Name)
		}
		h.Size = 0
		got = append(got, h)
	}
	// As rpm -qa --dbpath D --define '_db_backend ndb' printed them.
	want := []Package{
		{Name: "libdemo", Version: "0.9", Release: "1.suse", Arch: "noarch", SourceRPM: "libdemo-0.9-1.suse.src.rpm",
			License: "MIT AND BSD-3-Clause", Files: []string{"/usr/lib64/libdemo.so.0"}},
		{Name: "hello-tool", Version: "2.12.1", Release: "4.suse", Arch: "noarch", Epoch: intp(1),
			SourceRPM: "hello-tool-2.12.1-4.suse.src.rpm", License: "GPL-3.0-or-later", Vendor: "Plimsoll Test",
			Files: []string{"/usr/bin/hello", "/usr/share/doc/hello-tool/README"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

// After rpm erased a package (its slot freed, its blocks zeroed) and installed
// one again (a freed slot reused for a higher package index), the packages are
// read in package index order.
func TestReadNDBHistory(t *testing.T) {
	tests := []struct {
		file  string
		names []string
	}{
		{"testdata/Packages.db", []string{"libdemo", "hello-tool"}},
		{"testdata/Packages-erased.db", []string{"hello-tool"}},
		{"testdata/Packages-reused.db", []string{"hello-tool", "libdemo"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			blobs, err := ReadNDB(read(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, b := range blobs {
				h, err := ParseHeader(b)
				if err != nil {
					t.Fatal(err)
				}
				names = append(names, h.Name)
			}
			if diff := cmp.Diff(tc.names, names); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadNDBMalformed(t *testing.T) {
	good := read(t, "testdata/Packages.db")
	edit := func(f func(b []byte)) []byte {
		b := append([]byte(nil), good...)
		f(b)
		return b
	}
	put := func(off int, v uint32) []byte {
		return edit(func(b []byte) { binary.LittleEndian.PutUint32(b[off:], v) })
	}
	tests := []struct {
		name  string
		b     []byte
		names []string // packages still read
		want  string   // in the error
	}{
		{"empty", nil, nil, "not an rpm NDB"},
		{"sqlite", read(t, "testdata/rpmdb.sqlite"), nil, "not an rpm NDB"},
		{"wrong magic", put(0, 0x50427052), nil, "not an rpm NDB"},
		{"unknown version", put(4, 1), nil, "version 1"},
		{"truncated in the slot page", good[:2000], nil, "truncated"},
		{"huge slot page count", put(12, 0xffffffff), nil, "truncated"},
		{"no slot magic", put(ndbSlot2, 0), nil, "no slot magic"},
		{"slot in the slot pages", put(ndbSlot2+8, 1), nil, "invalid"},
		{"duplicate package index", put(ndbSlot2+4, 1), nil, "invalid"},
		{"truncated in the second blob", good[:len(good)-100], []string{"libdemo"}, "past the end"},
		{"slot past the end", put(ndbSlot1+8, 0xfffffff0), []string{"hello-tool"}, "past the end"},
		{"huge block count", put(ndbSlot1+12, 0xffffffff), []string{"hello-tool"}, "past the end"},
		{"slot at the wrong blob", put(ndbSlot1+8, 0x170), []string{"hello-tool"}, "no blob header"},
		{"wrong blob magic", put(ndbBlob2, 0), []string{"libdemo"}, "no blob header"},
		{"length past the blocks", put(ndbBlob1+12, 0xffffffff), []string{"hello-tool"}, "does not fill"},
		{"corrupted blob", edit(func(b []byte) { b[ndbBlob1+40] ^= 0xff }), []string{"hello-tool"}, "checksum"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			blobs, err := ReadNDB(tc.b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadNDB error = %v, want %q", err, tc.want)
			}
			var names []string
			for _, b := range blobs {
				h, err := ParseHeader(b)
				if err != nil {
					t.Fatalf("blob returned that is not a header: %v", err)
				}
				names = append(names, h.Name)
			}
			if diff := cmp.Diff(tc.names, names); diff != "" {
				t.Errorf("packages read (-want +got):\n%s", diff)
			}
		})
	}
}

// A SUSE image keeps Packages.db under /usr/lib/sysimage/rpm; one left beside an
// rpmdb.sqlite by a migration is ignored.
func TestCatalogNDB(t *testing.T) {
	ndb := string(read(t, "testdata/Packages.db"))
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{
		imagetest.File("etc/os-release", "NAME=\"openSUSE Leap\"\nID=\"opensuse-leap\"\nVERSION_ID=\"15.6\"\n"),
		imagetest.File("usr/lib/sysimage/rpm/Packages.db", ndb),
		imagetest.File("usr/bin/hello", "#!/bin/sh\n"),
		imagetest.File("usr/lib64/libdemo.so.0", "elf"),
		imagetest.File("var/lib/rpm/Packages.db", ndb),
		imagetest.File("var/lib/rpm/rpmdb.sqlite", string(read(t, "testdata/rpmdb.sqlite"))),
	})
	const p, q = "/usr/lib/sysimage/rpm/Packages.db", "/var/lib/rpm/rpmdb.sqlite"
	want := []catalogtest.Brief{
		{Name: "hello-tool", Version: "1:2.12.1-4.el9", Type: sbom.TypeRPM, Path: q, Licenses: []string{"GPL-3.0-or-later"},
			PURL: "pkg:rpm/opensuse-leap/hello-tool@2.12.1-4.el9?arch=noarch&distro=opensuse-leap-15.6&epoch=1&upstream=hello-tool-2.12.1-4.el9.src.rpm"},
		{Name: "hello-tool", Version: "1:2.12.1-4.suse", Type: sbom.TypeRPM, Path: p, Licenses: []string{"GPL-3.0-or-later"},
			PURL: "pkg:rpm/opensuse-leap/hello-tool@2.12.1-4.suse?arch=noarch&distro=opensuse-leap-15.6&epoch=1&upstream=hello-tool-2.12.1-4.suse.src.rpm"},
		{Name: "libdemo", Version: "0.9-1.el9", Type: sbom.TypeRPM, Path: q, Licenses: []string{"BSD-3-Clause", "MIT"},
			PURL: "pkg:rpm/opensuse-leap/libdemo@0.9-1.el9?arch=noarch&distro=opensuse-leap-15.6&upstream=libdemo-0.9-1.el9.src.rpm"},
		{Name: "libdemo", Version: "0.9-1.suse", Type: sbom.TypeRPM, Path: p, Licenses: []string{"BSD-3-Clause", "MIT"},
			PURL: "pkg:rpm/opensuse-leap/libdemo@0.9-1.suse?arch=noarch&distro=opensuse-leap-15.6&upstream=libdemo-0.9-1.suse.src.rpm"},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	for _, pkg := range s.Packages {
		m := pkg.Metadata.(*sbom.RpmMetadata)
		if pkg.Locations[0].Path == p && (m.Architecture != "noarch" || m.Files != 1) {
			t.Errorf("%s: metadata %+v, want noarch with 1 owned file present", pkg.Name, m)
		}
		if pkg.Name == "hello-tool" && pkg.Locations[0].Path == p && m.Vendor != "Plimsoll Test" {
			t.Errorf("hello-tool: vendor %q", m.Vendor)
		}
	}
	if len(s.Warnings) != 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
}

// A damaged Packages.db is a warning naming it; the packages before the damage
// are still cataloged.
func TestCatalogNDBDamaged(t *testing.T) {
	ndb := read(t, "testdata/Packages.db")
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{
		imagetest.File("usr/lib/sysimage/rpm/Packages.db", string(ndb[:len(ndb)-100])),
	})
	var got []string
	for _, p := range s.Packages {
		got = append(got, p.Name)
	}
	if diff := cmp.Diff([]string{"libdemo"}, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != "/usr/lib/sysimage/rpm/Packages.db" || !strings.Contains(s.Warnings[0].Message, "past the end") {
		t.Errorf("warnings = %v, want the truncated blob reported", s.Warnings)
	}
}
