package dpkg

import (
	"os"
	"testing"
)

func FuzzParseStatus(f *testing.F) {
	if b, err := os.ReadFile("testdata/status"); err == nil {
		f.Add(b[:4096])
	}
	f.Add([]byte(stanzaA1 + "\n" + removed))
	f.Add([]byte(" x\nPackage: a\nSource: b (1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, _ := ParseStatus(b)
		for _, e := range entries {
			if e.Package == "" || e.Version == "" || e.Source == "" {
				t.Fatalf("entry without package, version or source: %+v", e)
			}
		}
	})
}

func FuzzParseCopyright(f *testing.F) {
	for _, p := range []string{"testdata/copyright-dep5", "testdata/copyright-plain"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, l := range ParseCopyright(b) {
			if l == "" {
				t.Fatalf("empty license name from %q", b)
			}
		}
		ParseList(b)
		ParseMD5Sums(b)
	})
}
