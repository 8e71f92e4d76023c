package apk

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func TestParseInstalled(t *testing.T) {
	b, err := os.ReadFile("testdata/installed")
	if err != nil {
		t.Fatal(err)
	}
	entries, problems := ParseInstalled(b)
	if len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
	want := []Entry{
		{Name: "musl", Version: "1.2.4_git20230717-r4", Architecture: "x86_64", Origin: "musl", License: "MIT",
			Maintainer: "Timo Teräs <timo.teras@iki.fi>", InstalledSize: 667648, Checksum: "Q1tEqOv6yVHnF5tL7nTg2cL5pbLbM=",
			Commit: "2e1b7e9c8c0bd5c2b5c6e6c1e8b54d1b21d1d1d1", Files: []string{"/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"}},
		{Name: "busybox", Version: "1.36.1-r15", Architecture: "x86_64", Origin: "busybox", License: "GPL-2.0-only",
			Maintainer: "Sören Tempel <soeren+alpine@soeren-tempel.net>", InstalledSize: 950272, Checksum: "Q1B2eP1iSBbtrCrS0D9o4yYh0Gv/4=",
			Commit: "a7e9cb6c0e3b3c5b2b1c7e0f6a1d5b8c9e0f1a2b", Files: []string{"/bin/busybox", "/bin/sh", "/etc/securetty"}},
		{Name: "libcrypto3", Version: "3.1.4-r5", Architecture: "x86_64", Origin: "openssl", License: "Apache-2.0",
			Maintainer: "Ariadne Conill <ariadne@dereferenced.org>", InstalledSize: 4317184, Checksum: "Q1yJW3vWZ3Zm6q7bMxMJZr8mXSJfQ=",
			Commit: "9a2b0e6f2b4c7d8e0f1a2b3c4d5e6f7a8b9c0d1e", Files: []string{"/lib/libcrypto.so.3", "/usr/lib/libcrypto.so.3"}},
	}
	if diff := cmp.Diff(want, entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestParseInstalledMalformed(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string
		problems []string
	}{
		{"empty", "", nil, nil},
		{"no trailing blank line", "P:a\nV:1", []string{"a=1"}, nil},
		{"CRLF", "P:a\r\nV:1\r\n\r\nP:b\r\nV:2\r\n", []string{"a=1", "b=2"}, nil},
		{"no version", "P:a\n\nP:b\nV:2\n", []string{"b=2"}, []string{`package "a": no V:`}},
		{"no name", "V:1\n\nP:b\nV:2\n", []string{"b=2"}, []string{"no P:"}},
		{"garbage", "P:a\nV:1\ngarbage\n\nP:b\nV:2\n", []string{"b=2"}, []string{"line 3: not a K:value"}},
		{"bad size", "P:a\nV:1\nI:big\n", nil, []string{"I: \"big\""}},
		{"file before directory", "P:a\nV:1\nR:x\n", []string{"a=1"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entries, problems := ParseInstalled([]byte(tc.in))
			var got []string
			for _, e := range entries {
				got = append(got, e.Name+"="+e.Version)
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

func TestCatalog(t *testing.T) {
	b, err := os.ReadFile("testdata/installed")
	if err != nil {
		t.Fatal(err)
	}
	db := string(b)
	// Layer 1 upgrades libcrypto3 (apk upgrade rewrites the whole database).
	upgraded := strings.Replace(db, "V:3.1.4-r5", "V:3.1.4-r6", 1)
	cs := []catalog.Cataloger{New()}
	s := catalogtest.Run(t, cs,
		[]imagetest.Entry{
			imagetest.File("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n"),
			imagetest.File("lib/apk/db/installed", db),
			imagetest.File("bin/busybox", "elf"), imagetest.Symlink("bin/sh", "/bin/busybox"),
			imagetest.File("lib/libcrypto.so.3", "elf"),
		},
		[]imagetest.Entry{imagetest.File("lib/apk/db/installed", upgraded)},
	)
	const p = "/lib/apk/db/installed"
	want := []catalogtest.Brief{
		{Name: "busybox", Version: "1.36.1-r15", Type: sbom.TypeApk, Path: p, Layer: 1, IntroducedBy: 0,
			PURL: "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1", Licenses: []string{"GPL-2.0-only"}},
		{Name: "libcrypto3", Version: "3.1.4-r6", Type: sbom.TypeApk, Path: p, Layer: 1, IntroducedBy: 1,
			PURL: "pkg:apk/alpine/libcrypto3@3.1.4-r6?arch=x86_64&distro=alpine-3.19.1&upstream=openssl", Licenses: []string{"Apache-2.0"}},
		{Name: "musl", Version: "1.2.4_git20230717-r4", Type: sbom.TypeApk, Path: p, Layer: 1, IntroducedBy: 0,
			PURL: "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1", Licenses: []string{"MIT"}},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	var files []string
	for _, f := range s.Files {
		files = append(files, f.Path)
	}
	if diff := cmp.Diff([]string{"/bin/busybox", "/bin/sh", "/lib/libcrypto.so.3"}, files); diff != "" {
		t.Errorf("owned files (-want +got):\n%s", diff)
	}
}

func TestParseInstalledFiles(t *testing.T) {
	b, err := os.ReadFile("testdata/installed")
	if err != nil {
		t.Fatal(err)
	}
	entries, problems := ParseInstalledFiles(b)
	if len(problems) != 0 || len(entries) != 3 {
		t.Fatalf("%d entries, problems: %v", len(entries), problems)
	}
	want := []FileRecord{
		{Path: "/bin/busybox", Mode: 0o755, Checksum: "Q1WUwBY0eOGgzgVxTZxJBZPyQUicI="},
		{Path: "/bin/sh", Mode: 0o777, Checksum: "Q1pcfTfDNEbNKQc2s1tia7da05M8Q="},
		{Path: "/etc/securetty", Mode: 0o644, Checksum: "Q1mB95Hq2NUTZ599RDiSsj9w5FrOU="}, // no a: line: 0:0:644
	}
	if diff := cmp.Diff(want, entries[1].Records); diff != "" {
		t.Errorf("busybox records (-want +got):\n%s", diff)
	}
	if plain, _ := ParseInstalled(b); plain[1].Records != nil {
		t.Error("ParseInstalled kept file records")
	}
	_, problems = ParseInstalledFiles([]byte("P:x\nV:1\nF:bin\nR:a\na:0:0:99999\n\nP:y\nV:1\nZ:Q1x\n"))
	if len(problems) != 2 {
		t.Errorf("problems %v, want a bad mode and a Z: without a file", problems)
	}
}

func TestParseChecksum(t *testing.T) {
	tests := []struct {
		z, alg, hex string
		bad         bool
	}{
		// The SHA-1 of an empty file, as Alpine's databases record it.
		{z: "Q12jmj7l5rSw0yVb/vlWAYkK/YBwk=", alg: ChecksumSHA1, hex: "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{z: "Q247DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", alg: ChecksumSHA256, hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{z: "d41d8cd98f00b204e9800998ecf8427e", alg: ChecksumMD5, hex: "d41d8cd98f00b204e9800998ecf8427e"},
		{z: "Q1tEqOv6yVHnF5tL7nTg2cL5pbLbM", bad: true}, // not padded base64 of 20 bytes
		{z: "Q3AAAA", bad: true},
		{z: "", bad: true},
	}
	for _, tc := range tests {
		alg, sum, err := ParseChecksum(tc.z)
		if (err != nil) != tc.bad {
			t.Errorf("ParseChecksum(%q): %v", tc.z, err)
			continue
		}
		if !tc.bad && (alg != tc.alg || hex.EncodeToString(sum) != tc.hex) {
			t.Errorf("ParseChecksum(%q) = %s %x, want %s %s", tc.z, alg, sum, tc.alg, tc.hex)
		}
	}
}
