package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestDrawProgress(t *testing.T) {
	tests := []struct {
		done, total int64
		finished    bool
		want        string
	}{
		{5e6, 10e6, false, "\rhttp://x/all.zip [===============               ]   5.0/10.0 MB"},
		{10e6, 10e6, true, "\rhttp://x/all.zip [==============================]  10.0/10.0 MB\n"},
		{3e6, -1, false, "\rhttp://x/all.zip 3.0 MB"},
	}
	for _, tc := range tests {
		var b bytes.Buffer
		drawProgress(&b, "http://x/all.zip", tc.done, tc.total, tc.finished)
		if b.String() != tc.want {
			t.Errorf("drawProgress(%d, %d) = %q, want %q", tc.done, tc.total, b.String(), tc.want)
		}
	}
}

func TestProgressQuietOffTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progressPrinter(f) != nil {
		t.Error("a progress printer for a plain file; want none off a terminal")
	}
}
