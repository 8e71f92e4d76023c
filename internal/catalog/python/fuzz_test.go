package python

import (
	"os"
	"testing"
	"unicode/utf8"
)

func FuzzParseMetadata(f *testing.F) {
	for _, p := range []string{"testdata/PyYAML-6.0.dist-info/METADATA", "testdata/PyJWT-2.6.0.egg-info/PKG-INFO", "testdata/cryptography-38.0.4.dist-info/METADATA"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Name: caf\xe9\nVersion: 1\nLicense: a\n b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMetadata(b)
		if err != nil {
			return
		}
		if m.Name == "" || m.Version == "" || !utf8.ValidString(m.Name) {
			t.Fatalf("metadata without name or version, or not UTF-8: %+v", m)
		}
		for _, l := range licenses(m) {
			if l == "" {
				t.Fatal("empty license")
			}
		}
	})
}

func FuzzParseRecord(f *testing.F) {
	if b, err := os.ReadFile("testdata/PyYAML-6.0.dist-info/RECORD"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("\"a,b\",\"c\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		paths, _ := ParseRecord(b)
		for _, p := range paths {
			if p == "" {
				t.Fatal("empty path")
			}
		}
		ParseInstalledFiles(b)
	})
}
