package layerfs_test

import (
	"errors"
	"testing"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

func TestResolve(t *testing.T) {
	F, D, S := imagetest.File, imagetest.Dir, imagetest.Symlink
	fsys := walk(t, layerfs.Options{Requests: []layerfs.Request{{Paths: []string{"/usr/lib/os-release"}}}},
		tarLayer(
			D("etc"), D("usr"), D("usr/lib"), F("usr/lib/os-release", "ID=alpine"),
			S("etc/os-release", "../usr/lib/os-release"),
			S("lib", "usr/lib"),
			S("climb", "../../../../../usr/lib"),
			S("abs", "/usr/lib/../lib"),
			S("loop1", "loop2"), S("loop2", "/loop1"),
			S("self", "self/x"),
			S("dangling", "/nowhere/file"),
		))
	tests := []struct {
		in, want string
		loop     bool
	}{
		{in: "/etc/os-release", want: "/usr/lib/os-release"},
		{in: "/lib/os-release", want: "/usr/lib/os-release"},
		{in: "/climb/os-release", want: "/usr/lib/os-release"},
		{in: "/abs/os-release", want: "/usr/lib/os-release"},
		{in: "/../../etc/os-release", want: "/usr/lib/os-release"},
		{in: "/dangling", want: "/nowhere/file"},
		{in: "/usr/lib", want: "/usr/lib"},
		{in: "/loop1", loop: true},
		{in: "/self", loop: true},
	}
	for _, tc := range tests {
		got, err := fsys.Resolve(tc.in)
		if tc.loop {
			if !errors.Is(err, layerfs.ErrSymlinkLoop) {
				t.Errorf("Resolve(%s) = %q, %v; want a loop error", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Resolve(%s) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if b, err := fsys.ReadFile("/etc/os-release"); err != nil || string(b) != "ID=alpine" {
		t.Errorf("ReadFile through symlink = %q, %v", b, err)
	}
}
