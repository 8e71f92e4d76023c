package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// entry is what the tests compare of a tar entry.
type entry struct {
	Name     string
	Type     byte
	Linkname string
	Size     int64
}

func entries(t *testing.T, write func(*tar.Writer) error) ([]entry, [32]byte) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := write(tw); err != nil {
		t.Fatalf("write: %v", err)
	}
	if err := tw.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	var got []entry
	tr := tar.NewReader(&buf)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return got, sum
		}
		if err != nil {
			t.Fatalf("read tar: %v", err)
		}
		got = append(got, entry{h.Name, h.Typeflag, h.Linkname, h.Size})
	}
}

func TestWriteDir(t *testing.T) {
	root := t.TempDir()
	mk := func(p, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("etc/os-release", "ID=debian\n")
	mk("usr/bin/perl", "binary")
	mk("dev/null", "not a device in this test")
	if err := os.Link(filepath.Join(root, "usr/bin/perl"), filepath.Join(root, "usr/bin/perl5")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../usr/bin/perl", filepath.Join(root, "etc/perl")); err != nil {
		t.Fatal(err)
	}
	want := []entry{
		{"dev/", tar.TypeDir, "", 0}, // kept, empty
		{"etc/", tar.TypeDir, "", 0},
		{"etc/os-release", tar.TypeReg, "", 10},
		{"etc/perl", tar.TypeSymlink, "../usr/bin/perl", 0},
		{"usr/", tar.TypeDir, "", 0},
		{"usr/bin/", tar.TypeDir, "", 0},
		{"usr/bin/perl", tar.TypeReg, "", 6},
		{"usr/bin/perl5", tar.TypeLink, "usr/bin/perl", 0},
	}
	got, sum1 := entries(t, func(tw *tar.Writer) error { return writeDir(tw, root) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("writeDir entries (-want +got):\n%s", diff)
	}
	if _, sum2 := entries(t, func(tw *tar.Writer) error { return writeDir(tw, root) }); sum1 != sum2 {
		t.Errorf("writeDir is not deterministic: %x then %x", sum1, sum2)
	}
}

func TestWriteNodeAppWhiteouts(t *testing.T) {
	tests := []struct {
		name    string
		present []string
		want    []entry
	}{
		{"none present", nil, nil},
		{"a log and the apt directory", []string{"var/log/dpkg.log", "var/log/apt/eipp.log.xz"}, []entry{
			{"var/log/.wh.apt", tar.TypeReg, "", 0},
			{"var/log/.wh.dpkg.log", tar.TypeReg, "", 0},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for _, p := range tc.present {
				if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(root, p), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			all, _ := entries(t, func(tw *tar.Writer) error { return writeNodeApp(tw, root) })
			var got []entry
			for _, e := range all {
				if strings.HasPrefix(path.Base(e.Name), ".wh.") {
					got = append(got, e)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("whiteouts (-want +got):\n%s", diff)
			}
			if len(all) < 3000 {
				t.Errorf("node app layer has %d entries, want a few thousand", len(all))
			}
		})
	}
}

func TestGeneratorsDeterministic(t *testing.T) {
	sum := func(seed uint64) string {
		b := make([]byte, 1<<20)
		if _, err := io.ReadFull(&binReader{g: newGen(seed)}, b); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%x %x", sha256.Sum256(b), sha256.Sum256(newGen(seed).text(4096)))
	}
	if a, b := sum(7), sum(7); a != b {
		t.Errorf("same seed, different output: %s, %s", a, b)
	}
	if a, b := sum(7), sum(8); a == b {
		t.Errorf("different seeds, same output: %s", a)
	}
}
