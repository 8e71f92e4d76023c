package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
)

// verifyBundle writes a bundle with one packages/verify rule.
func verifyBundle(t *testing.T, params string) string {
	t.Helper()
	bundle := filepath.Join(t.TempDir(), "verify.json")
	if err := os.WriteFile(bundle, []byte(`{"id":"v","version":"1_0","policies":[{"id":"p","rules":[
		{"gate":"packages","trigger":"verify","action":"STOP","params":[`+params+`]}]}],
		"mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"p"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return bundle
}

// verifyResults evaluates ref with the bundle and returns "<trigger id>@<layer>"
// for each result.
func verifyResults(t *testing.T, ref, dbDir, bundle string) []string {
	t.Helper()
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle, "-o", "json")
	if code == exitError {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ev evalJSON
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	if (len(ev.Results) > 0) != (code == exitFail) {
		t.Errorf("exit %d with %d results", code, len(ev.Results))
	}
	var got []string
	for _, r := range ev.Results {
		got = append(got, r.TriggerID+"@"+strconv.Itoa(r.Layer))
		t.Logf("%s: %s", r.TriggerID, r.Detail)
	}
	return got
}

// rpmBase is a Fedora-like layer holding testdata/rpmdb.sqlite.gz's two
// packages as rpm installed them (see its README).
func rpmBase(t *testing.T) imagetest.Layer {
	t.Helper()
	gz, err := os.ReadFile(filepath.Join("..", "..", "internal", "policy", "gate", "packages", "testdata", "rpmdb.sqlite.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	db, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return imagetest.Layer{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=fedora\nVERSION_ID=40\n"),
		{Path: "var/lib/rpm/rpmdb.sqlite", Type: tar.TypeReg, Mode: 0o644, Content: db},
		{Path: "usr/bin/demo", Type: tar.TypeReg, Mode: 0o755, Content: []byte("#!/bin/sh\necho demo\n")},
		imagetest.File("usr/lib/demo/data.txt", "demo data\n"),
		imagetest.File("usr/lib/demo/empty", ""),
		imagetest.Symlink("usr/lib/demo/link", "data.txt"),
		imagetest.File("etc/demo.conf", "setting=1\n"),
		{Path: "usr/bin/legacy", Type: tar.TypeReg, Mode: 0o755, Content: []byte("legacy\n")},
		imagetest.File("usr/share/legacy/notes", "notes\n"),
	}}
}

// TestEvaluateVerifyRPM: the files real rpm -V reported changed or missing
// (testdata README) fire, with their package and the layer that changed them;
// %config, %ghost and not-installed %doc files do not; an untouched image is
// quiet.
func TestEvaluateVerifyRPM(t *testing.T) {
	_, dbDir := evalFixture(t)
	bundle := verifyBundle(t, `{"name":"only_directories","value":"/usr,/etc"}`)
	untouched := writeImage(t, imagetest.Image{Config: v1.Config{User: "app"}, Layers: []imagetest.Layer{rpmBase(t)}})
	if got := verifyResults(t, untouched, dbDir, bundle); len(got) != 0 {
		t.Errorf("untouched image: %v", got)
	}
	tampered := writeImage(t, imagetest.Image{Config: v1.Config{User: "app"}, Layers: []imagetest.Layer{rpmBase(t),
		{CreatedBy: "RUN tamper", Entries: []imagetest.Entry{
			imagetest.File("usr/bin/demo", "tampered\n"),
			imagetest.Whiteout("usr/lib/demo/data.txt"),
			{Path: "usr/share/legacy/notes", Type: tar.TypeReg, Mode: 0o4755, Content: []byte("notes\n")},
			imagetest.File("etc/demo.conf", "setting=1\nx\n"),
			imagetest.Symlink("usr/lib/demo/link", "other"),
			{Path: "usr/bin/legacy", Type: tar.TypeReg, Mode: 0o755, Content: []byte("LEGACY\n")}, // same size, MD5 differs
		}}}})
	want := []string{
		"legacy-demo:/usr/bin/legacy@1",
		"legacy-demo:/usr/share/legacy/notes@1",
		"verify-demo:/usr/bin/demo@1",
		"verify-demo:/usr/lib/demo/data.txt@-1",
		"verify-demo:/usr/lib/demo/link@1",
	}
	if diff := cmp.Diff(want, sortedStrings(verifyResults(t, tampered, dbDir, bundle))); diff != "" {
		t.Errorf("tampered image (-want +got):\n%s", diff)
	}
}

func sortedStrings(s []string) []string { slices.Sort(s); return s }

// q1 is an apk Z: checksum: "Q1" and the base64 of the SHA-1.
func q1(s string) string {
	h := sha1.Sum([]byte(s))
	return "Q1" + base64.StdEncoding.EncodeToString(h[:])
}

// TestEvaluateVerifyAPK: apk's installed database, with the checksum of
// busybox's /bin/sh symlink as Alpine records it (the SHA-1 of its target).
func TestEvaluateVerifyAPK(t *testing.T) {
	_, dbDir := evalFixture(t)
	installed := "P:busybox\nV:1.36.1-r15\nA:x86_64\n" +
		"F:bin\nR:busybox\na:0:0:755\nZ:" + q1("busybox binary") + "\n" +
		"R:sh\na:0:0:777\nZ:Q1pcfTfDNEbNKQc2s1tia7da05M8Q=\n" +
		"F:etc\nR:securetty\nZ:" + q1("console\n") + "\n" +
		"F:usr/share/empty\nR:marker\nZ:Q12jmj7l5rSw0yVb/vlWAYkK/YBwk=\n\n" +
		"P:tool\nV:1.0-r0\nA:x86_64\nF:usr/bin\nR:tool\na:0:0:755\nZ:" + q1("tool v1\n") + "\n" +
		"R:helper\nZ:" + q1("helper\n") + "\n\n"
	base := imagetest.Layer{CreatedBy: "ADD alpine-minirootfs.tar.gz /", Entries: []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
		imagetest.File("lib/apk/db/installed", installed),
		{Path: "bin/busybox", Type: tar.TypeReg, Mode: 0o755, Content: []byte("busybox binary")},
		imagetest.Symlink("bin/sh", "/bin/busybox"),
		imagetest.File("etc/securetty", "console\n"),
		imagetest.File("usr/share/empty/marker", ""),
		{Path: "usr/bin/tool", Type: tar.TypeReg, Mode: 0o755, Content: []byte("tool v1\n")},
		imagetest.File("usr/bin/helper", "helper\n"),
	}}
	bundle := verifyBundle(t, `{"name":"only_directories","value":"/"}`)
	untouched := writeImage(t, imagetest.Image{Config: v1.Config{User: "app"}, Layers: []imagetest.Layer{base}})
	if got := verifyResults(t, untouched, dbDir, bundle); len(got) != 0 {
		t.Errorf("untouched image: %v", got)
	}
	tampered := writeImage(t, imagetest.Image{Config: v1.Config{User: "app"}, Layers: []imagetest.Layer{base,
		{CreatedBy: "COPY tool /usr/bin/tool", Entries: []imagetest.Entry{
			{Path: "usr/bin/tool", Type: tar.TypeReg, Mode: 0o755, Content: []byte("tool v2\n")},
		}},
		{CreatedBy: "RUN rm /usr/bin/helper && ln -sf /bin/bash /bin/sh && echo ttyS0 >> /etc/securetty && chmod u+s /bin/busybox", Entries: []imagetest.Entry{
			imagetest.Whiteout("usr/bin/helper"),
			imagetest.Symlink("bin/sh", "/bin/bash"),
			imagetest.File("etc/securetty", "console\nttyS0\n"), // /etc is protected: configuration
			{Path: "bin/busybox", Type: tar.TypeReg, Mode: 0o4755, Content: []byte("busybox binary")},
		}}}})
	want := []string{
		"busybox:/bin/busybox@2",
		"busybox:/bin/sh@2",
		"tool:/usr/bin/helper@-1",
		"tool:/usr/bin/tool@1",
	}
	if diff := cmp.Diff(want, sortedStrings(verifyResults(t, tampered, dbDir, bundle))); diff != "" {
		t.Errorf("tampered image (-want +got):\n%s", diff)
	}
}

// TestEvaluateVerifyMissingDetail: a missing file's detail says which layer
// last held it, through merged-/usr symlinks too, or that none ever did.
func TestEvaluateVerifyMissingDetail(t *testing.T) {
	_, dbDir := evalFixture(t)
	sums := "d41d8cd98f00b204e9800998ecf8427e  bin/gone\n" + "d41d8cd98f00b204e9800998ecf8427e  usr/bin/never\n"
	ref := writeImage(t, imagetest.Image{Config: v1.Config{User: "app"}, Layers: []imagetest.Layer{
		{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
			imagetest.Symlink("bin", "usr/bin"),
			imagetest.File("usr/bin/gone", ""),
			imagetest.File("var/lib/dpkg/info/coreutils.md5sums", sums),
		}},
		{CreatedBy: "RUN true", Entries: []imagetest.Entry{imagetest.File("etc/motd", "hi\n")}},
		{CreatedBy: "RUN rm /bin/gone", Entries: []imagetest.Entry{imagetest.Whiteout("usr/bin/gone")}},
	}})
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", verifyBundle(t, ""), "-o", "json")
	if code != exitFail {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ev evalJSON
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range ev.Results {
		got = append(got, r.Detail)
	}
	want := []string{
		"/bin/gone of dpkg package coreutils is missing (layer 0 held it; a later layer deleted it)",
		"/usr/bin/never of dpkg package coreutils is missing (no layer ever held it)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

// TestEvaluateVerifyMergedUsr: on a merged-/usr image (/bin a symlink to
// usr/bin) dpkg records bin/tool, which the layers hold as usr/bin/tool. Its
// changed contents are found whether only_directories names the directory as
// the records do (/bin) or as the layers do (/usr/bin).
func TestEvaluateVerifyMergedUsr(t *testing.T) {
	_, dbDir := evalFixture(t)
	sums := md5hex("tool\n") + "  bin/tool\n" + md5hex("other\n") + "  usr/bin/other\n"
	ref := writeImage(t, imagetest.Image{Config: v1.Config{User: "app"}, Layers: []imagetest.Layer{
		{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
			imagetest.Symlink("bin", "usr/bin"),
			imagetest.File("usr/bin/tool", "tool\n"),
			imagetest.File("usr/bin/other", "other\n"),
			imagetest.File("var/lib/dpkg/info/coreutils.md5sums", sums),
		}},
		{CreatedBy: "RUN tamper", Entries: []imagetest.Entry{
			imagetest.File("usr/bin/tool", "TOOL\n"),
			imagetest.File("usr/bin/other", "OTHER\n"),
		}},
	}})
	for dir, want := range map[string][]string{
		"/bin":     {"coreutils:/bin/tool@1"},
		"/usr/bin": {"coreutils:/bin/tool@1", "coreutils:/usr/bin/other@1"},
	} {
		bundle := verifyBundle(t, `{"name":"only_directories","value":"`+dir+`"},{"name":"check","value":"changed"}`)
		if diff := cmp.Diff(want, sortedStrings(verifyResults(t, ref, dbDir, bundle))); diff != "" {
			t.Errorf("only_directories %s (-want +got):\n%s", dir, diff)
		}
	}
}

func md5hex(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }
