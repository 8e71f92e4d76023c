package python

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/catalog/dpkg"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseMetadata(t *testing.T) {
	tests := []struct {
		name, in string
		want     Metadata
		err      string
	}{
		{"PyYAML METADATA", read(t, "testdata/PyYAML-6.0.dist-info/METADATA"), Metadata{
			Name: "PyYAML", Version: "6.0", Summary: "YAML parser and emitter for Python", Author: "Kirill Simonov",
			AuthorEmail: "xi@resolvent.net", Homepage: "https://pyyaml.org/", License: "MIT",
			Classifiers: []string{"License :: OSI Approved :: MIT License"}}, ""},
		{"PyJWT PKG-INFO", read(t, "testdata/PyJWT-2.6.0.egg-info/PKG-INFO"), Metadata{
			Name: "PyJWT", Version: "2.6.0", Summary: "JSON Web Token implementation in Python", Author: "Jose Padilla",
			AuthorEmail: "hello@jpadilla.com", Homepage: "https://github.com/jpadilla/pyjwt", License: "MIT",
			Classifiers: []string{"License :: OSI Approved :: MIT License"}}, ""},
		{"Latin-1", "Name: caf\xe9\nVersion: 1.0\nAuthor: Jos\xe9\n", Metadata{Name: "café", Version: "1.0", Author: "José"}, ""},
		{"license text is not a name", "Name: a\nVersion: 1\nLicense: Copyright (c) 2020\n        Permission is hereby granted\n", Metadata{Name: "a", Version: "1"}, ""},
		{"PEP 639", "Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\n", Metadata{Name: "a", Version: "1", LicenseExpression: "MIT OR Apache-2.0"}, ""},
		{"body ignored", "Name: a\nVersion: 1\n\nName: b\nnot a header\n", Metadata{Name: "a", Version: "1"}, ""},
		{"CRLF", "Name: a\r\nVersion: 1\r\n\r\nbody", Metadata{Name: "a", Version: "1"}, ""},
		{"no version", "Name: a\n", Metadata{Name: "a"}, "no Name or no Version"},
		{"not a header", "Name: a\ngarbage\nVersion: 1\n", Metadata{Name: "a"}, "line 2: not a header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMetadata([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("metadata (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLicenses(t *testing.T) {
	tests := []struct {
		name string
		m    Metadata
		want []string
	}{
		{"expression wins", Metadata{LicenseExpression: "MIT OR Apache-2.0", License: "BSD"}, []string{"Apache-2.0", "MIT"}},
		{"short field", Metadata{License: "BSD-3-Clause OR Apache-2.0", Classifiers: []string{"License :: OSI Approved :: MIT License"}}, []string{"Apache-2.0", "BSD-3-Clause"}},
		{"free text name", Metadata{License: "Apache License 2.0"}, []string{"Apache-2.0"}},
		{"UNKNOWN falls back to classifiers", Metadata{License: "UNKNOWN", Classifiers: []string{"License :: OSI Approved :: Apache Software License", "License :: OSI Approved :: BSD License"}}, []string{"Apache-2.0", "BSD License"}},
		{"none", Metadata{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, licenses(tc.m)); diff != "" {
				t.Errorf("licenses (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"PyYAML": "pyyaml", "zope.interface": "zope-interface", "Foo__Bar-.baz": "foo-bar-baz", "a": "a"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRecord(t *testing.T) {
	got, err := ParseRecord([]byte("a/b.py,sha256=x,1\n\"c,d.py\",,\n../../bin/e,,\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a/b.py", "c,d.py", "../../bin/e"}, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

const (
	deb  = "/usr/lib/python3/dist-packages"
	site = "/usr/local/lib/python3.11/site-packages"
)

func TestCatalog(t *testing.T) {
	status := "Package: python3-yaml\nStatus: install ok installed\nArchitecture: amd64\nSource: pyyaml\nVersion: 6.0-3+b2\n"
	base := []imagetest.Entry{
		imagetest.File("var/lib/dpkg/status", status),
		imagetest.File("var/lib/dpkg/info/python3-yaml.list", read(t, "testdata/python3-yaml.list")),
		imagetest.File(deb[1:]+"/PyYAML-6.0.dist-info/METADATA", read(t, "testdata/PyYAML-6.0.dist-info/METADATA")),
		imagetest.File(deb[1:]+"/PyYAML-6.0.dist-info/RECORD", read(t, "testdata/PyYAML-6.0.dist-info/RECORD")),
		imagetest.File(deb[1:]+"/yaml/__init__.py", ""),
		imagetest.File(deb[1:]+"/PyJWT-2.6.0.egg-info/PKG-INFO", read(t, "testdata/PyJWT-2.6.0.egg-info/PKG-INFO")),
		imagetest.File(deb[1:]+"/six-1.16.0.egg-info", "Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n"),
	}
	app := []imagetest.Entry{ // pip install cryptography==38.0.4; a corrupt wheel
		imagetest.File(site[1:]+"/cryptography-38.0.4.dist-info/METADATA", read(t, "testdata/cryptography-38.0.4.dist-info/METADATA")),
		imagetest.File(site[1:]+"/cryptography-38.0.4.dist-info/INSTALLER", "pip\n"),
		imagetest.File(site[1:]+"/cryptography-38.0.4.dist-info/RECORD", "cryptography/__init__.py,,\n../../../bin/missing,,\n"),
		imagetest.File(site[1:]+"/cryptography/__init__.py", ""),
		imagetest.File(site[1:]+"/broken-1.0.dist-info/METADATA", "Name: broken\n"),
	}
	cs := []catalog.Cataloger{dpkg.New(), New()}
	s := catalogtest.Run(t, cs, base, app)
	want := []catalogtest.Brief{
		{Name: "python3-yaml", Version: "6.0-3+b2", Type: sbom.TypeDeb, Path: "/var/lib/dpkg/status",
			PURL: "pkg:deb/debian/python3-yaml@6.0-3%2Bb2?arch=amd64&upstream=pyyaml"},
		{Name: "cryptography", Version: "38.0.4", Type: sbom.TypePython, Path: site + "/cryptography-38.0.4.dist-info/METADATA",
			Layer: 1, IntroducedBy: 1, PURL: "pkg:pypi/cryptography@38.0.4", Licenses: []string{"Apache-2.0", "BSD-3-Clause"}},
		{Name: "pyjwt", Version: "2.6.0", Type: sbom.TypePython, Path: deb + "/PyJWT-2.6.0.egg-info/PKG-INFO",
			PURL: "pkg:pypi/pyjwt@2.6.0", Licenses: []string{"MIT"}},
		{Name: "pyyaml", Version: "6.0", Type: sbom.TypePython, Path: deb + "/PyYAML-6.0.dist-info/METADATA",
			PURL: "pkg:pypi/pyyaml@6.0", Licenses: []string{"MIT"}},
		{Name: "six", Version: "1.16.0", Type: sbom.TypePython, Path: deb + "/six-1.16.0.egg-info",
			PURL: "pkg:pypi/six@1.16.0", Licenses: []string{"MIT"}},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	ids := map[string]string{}
	for _, p := range s.Packages {
		ids[p.Name] = p.ID
	}
	var owns []sbom.Relationship
	contains := map[string][]string{}
	for _, r := range s.Relationships {
		if r.Type == sbom.Owns {
			owns = append(owns, r)
		} else {
			contains[r.From] = append(contains[r.From], r.To)
		}
	}
	if diff := cmp.Diff([]sbom.Relationship{{From: ids["python3-yaml"], To: ids["pyyaml"], Type: sbom.Owns}}, owns); diff != "" {
		t.Errorf("owns (-want +got):\n%s", diff)
	}
	// RECORD's ../../../bin/missing is not in the image, so it is not owned.
	if diff := cmp.Diff([]string{site + "/cryptography/__init__.py"}, contains[ids["cryptography"]]); diff != "" {
		t.Errorf("cryptography owns (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Path, "broken-1.0.dist-info") {
		t.Errorf("warnings = %v, want one naming broken-1.0.dist-info", s.Warnings)
	}
	for _, p := range s.Packages {
		if md, ok := p.Metadata.(*sbom.PythonMetadata); ok && p.Name == "cryptography" && (md.Installer != "pip" || md.SitePackages != site || md.Files != 1) {
			t.Errorf("cryptography metadata = %+v", md)
		}
	}
}
