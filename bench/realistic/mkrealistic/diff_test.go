package main

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tree writes files (path → content; "" with a trailing slash is a directory)
// under dir, all with the same modification time.
func tree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	mt := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for p, c := range files {
		full := filepath.Join(dir, p)
		if p[len(p)-1] == '/' {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(full, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	// Directories last, so writing files does not move their times.
	if err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			err = os.Chtimes(p, mt, mt)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func entries(t *testing.T, base, top string) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := writeDiff(tw, base, top); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	tr := tar.NewReader(&buf)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		got[h.Name] = string(b)
	}
}

func TestWriteDiff(t *testing.T) {
	base, top := t.TempDir(), t.TempDir()
	files := map[string]string{"etc/keep": "same", "etc/changed": "old", "var/cache/gone.deb": "x", "proc/": "", "usr/lib/": ""}
	tree(t, base, files)
	tree(t, top, map[string]string{"etc/keep": "same", "etc/changed": "new content", "var/cache/": "", "proc/": "",
		"usr/lib/": "", "app/node_modules/a/package.json": "{}"})

	tests := []struct {
		name      string
		base, top string
		want      map[string]string
	}{
		{name: "full tree", base: "", top: base, want: map[string]string{
			"etc/": "", "etc/keep": "same", "etc/changed": "old", "proc/": "", "usr/": "", "usr/lib/": "",
			"var/": "", "var/cache/": "", "var/cache/gone.deb": "x"}},
		{name: "difference", base: base, top: top, want: map[string]string{
			"app/": "", "app/node_modules/": "", "app/node_modules/a/": "", "app/node_modules/a/package.json": "{}",
			"etc/": "", "etc/changed": "new content",
			"var/": "", "var/cache/": "", "var/cache/.wh.gone.deb": ""}},
		{name: "no change", base: base, top: base, want: map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, entries(t, tc.base, tc.top)); diff != "" {
				t.Errorf("layer entries (-want +got):\n%s", diff)
			}
		})
	}
}
