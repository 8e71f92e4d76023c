package rpm

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func read(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func intp(n int) *int { return &n }

func TestReadSQLite(t *testing.T) {
	blobs, err := ReadSQLite(context.Background(), read(t, "testdata/rpmdb.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	var got []Package
	for _, b := range blobs {
		h, err := ParseHeader(b)
		if err != nil {
			t.Fatal(err)
		}
		h.SourceRPM = strings.TrimSuffix(h.SourceRPM, ".src.rpm")
		got = append(got, h)
	}
	want := []Package{
		{Name: "libdemo", Version: "0.9", Release: "1.el9", Arch: "noarch", SourceRPM: "libdemo-0.9-1.el9",
			License: "MIT AND BSD-3-Clause", Size: got[0].Size, Files: []string{"/usr/lib64/libdemo.so.0"}},
		{Name: "hello-tool", Version: "2.12.1", Release: "4.el9", Arch: "noarch", Epoch: intp(1), SourceRPM: "hello-tool-2.12.1-4.el9",
			License: "GPL-3.0-or-later", Vendor: "Plimsoll Test", Size: got[1].Size,
			Files: []string{"/usr/bin/hello", "/usr/share/doc/hello-tool/README"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if got[0].Size == 0 {
		t.Error("no installed size read")
	}
	if _, err := ReadSQLite(context.Background(), []byte("not a database")); err == nil {
		t.Error("ReadSQLite accepted garbage")
	}
}

func TestParseHeaderMalformed(t *testing.T) {
	good := read(t, "testdata/header-1.bin")
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"claims more than it has", good[:len(good)-10], "truncated"},
		{"huge index", []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, "truncated"},
		{"no name", []byte{0, 0, 0, 0, 0, 0, 0, 0}, "no name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseHeader(tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseHeader error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	db := string(read(t, "testdata/rpmdb.sqlite"))
	s := catalogtest.Run(t, []catalog.Cataloger{New()},
		[]imagetest.Entry{
			imagetest.File("etc/os-release", "NAME=\"Rocky Linux\"\nID=\"rocky\"\nVERSION_ID=\"9.3\"\n"),
			imagetest.File("var/lib/rpm/rpmdb.sqlite", db),
			imagetest.File("usr/bin/hello", "#!/bin/sh\n"),
			imagetest.File("usr/lib64/libdemo.so.0", "elf"),
		},
		[]imagetest.Entry{imagetest.File("usr/lib/sysimage/rpm/Packages.db", "NDB")},
	)
	const p = "/var/lib/rpm/rpmdb.sqlite"
	want := []catalogtest.Brief{
		{Name: "hello-tool", Version: "1:2.12.1-4.el9", Type: sbom.TypeRPM, Path: p, Licenses: []string{"GPL-3.0-or-later"},
			PURL: "pkg:rpm/rocky/hello-tool@2.12.1-4.el9?arch=noarch&distro=rocky-9.3&epoch=1&upstream=hello-tool-2.12.1-4.el9.src.rpm"},
		{Name: "libdemo", Version: "0.9-1.el9", Type: sbom.TypeRPM, Path: p, Licenses: []string{"BSD-3-Clause", "MIT"},
			PURL: "pkg:rpm/rocky/libdemo@0.9-1.el9?arch=noarch&distro=rocky-9.3&upstream=libdemo-0.9-1.el9.src.rpm"},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	var files []string
	for _, f := range s.Files {
		files = append(files, f.Path)
	}
	if diff := cmp.Diff([]string{"/usr/bin/hello", "/usr/lib64/libdemo.so.0"}, files); diff != "" {
		t.Errorf("owned files (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != "/usr/lib/sysimage/rpm/Packages.db" || !strings.Contains(s.Warnings[0].Message, "not an rpm NDB database") {
		t.Errorf("warnings = %v, want the NDB database that is not one reported", s.Warnings)
	}
}

// A CentOS 7 or RHEL 8 image keeps a Berkeley DB Packages file; a database left
// beside an rpmdb.sqlite by the migration is ignored.
func TestCatalogBerkeleyDB(t *testing.T) {
	bdb := string(read(t, "testdata/Packages"))
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=\"centos\"\nVERSION_ID=\"7\"\n"),
		imagetest.File("var/lib/rpm/Packages", bdb),
		imagetest.File("usr/lib/sysimage/rpm/rpmdb.sqlite", string(read(t, "testdata/rpmdb.sqlite"))),
		imagetest.File("usr/lib/sysimage/rpm/Packages", "stale"),
	})
	var got []string
	for _, p := range s.Packages {
		got = append(got, p.Name+" "+p.Version+" "+p.Locations[0].Path)
	}
	want := []string{
		"hello-tool 1:2.12.1-4.el9 /usr/lib/sysimage/rpm/rpmdb.sqlite", "hello-tool 1:2.12.1-4.el9 /var/lib/rpm/Packages",
		"libdemo 0.9-1.el9 /usr/lib/sysimage/rpm/rpmdb.sqlite", "libdemo 0.9-1.el9 /var/lib/rpm/Packages",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
}

// TestParseFileRecords reads what the database records of each file, as
// `rpm --dbpath D -qa --qf '[%{FILENAMES} %{FILEDIGESTS} %{FILEMODES:octal}
// %{FILEFLAGS:fflags} %{FILESTATES:fstate} %{FILESIZES}\n]'` prints it for
// testdata/rpmdb.sqlite.
func TestParseFileRecords(t *testing.T) {
	blobs, err := ReadDB(context.Background(), "/var/lib/rpm/rpmdb.sqlite", read(t, "testdata/rpmdb.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	var got []FileRecord
	for _, b := range blobs {
		_, recs, err := ParseFileRecords(b)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, recs...)
	}
	want := []FileRecord{
		{Path: "/usr/lib64/libdemo.so.0", Digest: "6443b78e50315852d3c0eb5522a79d6d17161e21367ecc9481ee5fd6a00b9768", Algo: DigestSHA256, Size: 4, Mode: 0o100644},
		{Path: "/usr/bin/hello", Digest: "a8076d3d28d21e02012b20eaf7dbf75409a6277134439025f282e368e3305abf", Algo: DigestSHA256, Size: 10, Mode: 0o100644},
		{Path: "/usr/share/doc/hello-tool/README", Digest: "0dab0d00b42ecf3a4310f25bf4ee14cc4e428eba673717b51cead334e507e61b", Algo: DigestSHA256, Size: 5, Mode: 0o100644, Flags: FileDoc},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("file records (-want +got):\n%s", diff)
	}
	for _, p := range []string{"/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/rpmdb.sqlite"} {
		if !Superseded(p, func(q string) bool { return q == "/var/lib/rpm/rpmdb.sqlite" }) == (p == "/var/lib/rpm/Packages") {
			t.Errorf("Superseded(%s) wrong", p)
		}
	}
}
