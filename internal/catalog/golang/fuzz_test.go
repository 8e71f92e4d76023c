package golang

import (
	"runtime/debug"
	"testing"
)

type debugModule = debug.Module

// FuzzReadBinary feeds mutated executables to the build-information reader.
func FuzzReadBinary(f *testing.F) {
	f.Add([]byte("\x7fELF\x02\x01\x01\x00"))
	f.Add([]byte("MZ\x90\x00"))
	f.Add([]byte("\xcf\xfa\xed\xfe"))
	if !testing.Short() {
		b := testBinary(f)
		f.Add(b[:64<<10])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		bin, ok := ReadBinary(b)
		if ok && bin.Main.Main != true {
			t.Fatalf("main module not marked main: %+v", bin)
		}
	})
}
