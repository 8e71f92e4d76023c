package golang

import (
	"bytes"
	"debug/buildinfo"
	"errors"
	"io"
	"os"
	"runtime/debug"
	"testing"
	"testing/iotest"
)

// chunky returns reads of an awkward size, so the magic and the strings straddle
// chunk boundaries.
type chunky struct{ r io.Reader }

func (c chunky) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), 4093)]) }

func TestScanBuildInfoMatchesDebugBuildinfo(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	want, err := buildinfo.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	content, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{
		"whole":   bytes.NewReader(content),
		"chunked": chunky{bytes.NewReader(content)},
		"halves":  iotest.HalfReader(bytes.NewReader(content)),
	} {
		goVersion, modinfo, ok, err := ScanBuildInfo(r)
		if err != nil || !ok {
			t.Fatalf("%s: ScanBuildInfo = %v, %v", name, ok, err)
		}
		got, err := debug.ParseBuildInfo(modinfo)
		if err != nil {
			t.Fatalf("%s: parse modinfo: %v", name, err)
		}
		got.GoVersion = goVersion
		if got.String() != want.String() {
			t.Errorf("%s: streamed build info differs:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

func TestScanBuildInfoRejects(t *testing.T) {
	header := func(ptrSize, flags byte) []byte {
		h := append([]byte{}, buildInfoMagic...)
		h = append(h, ptrSize, flags)
		return append(h, make([]byte, 16)...)
	}
	pad := func(n int) []byte { return bytes.Repeat([]byte{'z'}, n) }
	inline := append(header(8, flagInline), 5, 'n', 'o', 'p', 'e', '!') // version must start with "go"
	tests := []struct {
		name    string
		content []byte
		oldForm bool
	}{
		{"no magic", pad(100000), false},
		{"magic not 16-aligned", append(pad(3), header(8, flagInline)...), false},
		{"bad pointer size", append(pad(16), header(3, flagInline)...), false},
		{"inline strings that are not a version", append(pad(32), inline...), false},
		{"truncated after the magic", append(pad(16), buildInfoMagic...), false},
		{"pre-1.18 pointer form", append(pad(48), header(8, 0)...), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, ok, err := ScanBuildInfo(bytes.NewReader(tc.content))
			if ok || errors.Is(err, errOldFormat) != tc.oldForm {
				t.Errorf("ScanBuildInfo = ok %t, err %v; want not ok, old form %t", ok, err, tc.oldForm)
			}
		})
	}
}

func FuzzScanBuildInfo(f *testing.F) {
	f.Add(append(bytes.Repeat([]byte{0}, 16), buildInfoMagic...))
	f.Add([]byte("\xff Go buildinf:\x08\x02" + string(make([]byte, 16)) + "\x08go1.22.1\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, m, ok, _ := ScanBuildInfo(chunky{bytes.NewReader(b)})
		if ok && (len(v) < 2 || v[:2] != "go") {
			t.Fatalf("accepted version %q", v)
		}
		if len(m) > maxModInfo {
			t.Fatalf("module text of %d bytes", len(m))
		}
	})
}
