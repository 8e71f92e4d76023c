package dpkg

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseStatusReal(t *testing.T) {
	b, err := os.ReadFile("testdata/status")
	if err != nil {
		t.Fatal(err)
	}
	entries, problems := ParseStatus(b)
	if len(problems) != 0 {
		t.Errorf("problems in a real status file: %v", problems)
	}
	if len(entries) != 88 {
		t.Errorf("got %d entries, want 88", len(entries))
	}
	byName := map[string]Entry{}
	for _, e := range entries {
		byName[e.Package] = e
	}
	tests := []struct {
		name string
		want Entry
	}{
		{"bash", Entry{Package: "bash", Version: "5.2.15-2+b13", Architecture: "amd64", Source: "bash",
			SourceVersion: "5.2.15-2", InstalledSize: 7164, Maintainer: "Matthias Klose <doko@debian.org>",
			Depends: "base-files (>= 2.1.12), debianutils (>= 5.6-0.1)", Status: "install ok installed"}},
		{"libgcc-s1", Entry{Package: "libgcc-s1", Version: "12.2.0-14+deb12u1", Architecture: "amd64", Source: "gcc-12",
			SourceVersion: "12.2.0-14+deb12u1", InstalledSize: 140, Maintainer: "Debian GCC Maintainers <debian-gcc@lists.debian.org>",
			Depends: byName["libgcc-s1"].Depends, Status: "install ok installed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, byName[tc.name]); diff != "" {
				t.Errorf("entry (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string // Package=Version of each entry
		problems []string // substrings, one per problem
	}{
		{"empty", "", nil, nil},
		{"one", "Package: a\nVersion: 1:2.0-1\nStatus: install ok installed\n", []string{"a=1:2.0-1"}, nil},
		{"blank lines with spaces between", "Package: a\nVersion: 1\n \t\nPackage: b\nVersion: 2\n", []string{"a=1", "b=2"}, nil},
		{"CRLF", "Package: a\r\nVersion: 1\r\n\r\nPackage: b\r\nVersion: 2\r\n", []string{"a=1", "b=2"}, nil},
		{"no version", "Package: a\n\nPackage: b\nVersion: 2\n", []string{"b=2"}, []string{`package "a": no Version`}},
		{"no package", "Version: 1\n\nPackage: b\nVersion: 2\n", []string{"b=2"}, []string{"no Package field"}},
		{"garbage line", "Package: a\nthis is not a field\nVersion: 1\n\nPackage: b\nVersion: 2\n", []string{"b=2"}, []string{"line 2: not a field"}},
		{"leading continuation", " orphan\nPackage: a\nVersion: 1\n", nil, []string{"continuation line without a field"}},
		{"bad size", "Package: a\nVersion: 1\nInstalled-Size: lots\n", nil, []string{"Installed-Size"}},
		{"bad source", "Package: a\nVersion: 1\nSource: b 2\n", nil, []string{"not in parentheses"}},
		{"description continues", "Package: a\nDescription: x\n long\n .\n more\nVersion: 1\n", []string{"a=1"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entries, problems := ParseStatus([]byte(tc.in))
			var got []string
			for _, e := range entries {
				got = append(got, e.Package+"="+e.Version)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if len(problems) != len(tc.problems) {
				t.Fatalf("problems = %v, want %d", problems, len(tc.problems))
			}
			for i, p := range problems {
				if !strings.Contains(p.Error(), tc.problems[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, p, tc.problems[i])
				}
			}
		})
	}
}

func TestInstalled(t *testing.T) {
	tests := []struct {
		status string
		want   bool
	}{
		{"install ok installed", true},
		{"hold ok installed", true},
		{"deinstall ok config-files", false},
		{"install ok half-installed", false},
		{"install ok unpacked", false},
		{"", true},
	}
	for _, tc := range tests {
		if got := (&Entry{Status: tc.status}).Installed(); got != tc.want {
			t.Errorf("Installed(%q) = %v, want %v", tc.status, got, tc.want)
		}
	}
}

func TestParseCopyright(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"testdata/copyright-dep5", []string{"BSD-3-Clause", "GPL-2.0-or-later", "GPL-3.0-or-later", "LGPL-2.1-or-later", "MIT"}},
		{"testdata/copyright-plain", []string{"GPL-2.0-only", "LGPL-2.1-only"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ParseCopyright(b)); diff != "" {
				t.Errorf("licenses (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileLists(t *testing.T) {
	list := ParseList([]byte("/.\n/usr\n/usr/bin/\n/usr/bin/bash\nrelative\n"))
	if diff := cmp.Diff([]string{"/usr", "/usr/bin", "/usr/bin/bash"}, list); diff != "" {
		t.Errorf("ParseList (-want +got):\n%s", diff)
	}
	sums := ParseMD5Sums([]byte("d41d8cd98f00b204e9800998ecf8427e  usr/bin/bash\nbroken\n0123  usr/share/doc/bash/copyright\n"))
	if diff := cmp.Diff([]string{"/usr/bin/bash", "/usr/share/doc/bash/copyright"}, sums); diff != "" {
		t.Errorf("ParseMD5Sums (-want +got):\n%s", diff)
	}
	if n, a := infoName("/var/lib/dpkg/info/libc6:amd64.list", ".list"); n != "libc6" || a != "amd64" {
		t.Errorf("infoName = %q, %q", n, a)
	}
}
