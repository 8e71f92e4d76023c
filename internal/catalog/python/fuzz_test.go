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

func FuzzParseLockfile(f *testing.F) {
	for _, p := range []string{"poetry.lock", "uv.lock", "Pipfile.lock", "requirements.txt"} {
		if b, err := os.ReadFile("testdata/" + p); err == nil {
			f.Add(p, b)
		}
	}
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		switch name {
		case "poetry.lock", "uv.lock", "Pipfile.lock", "requirements.txt":
		default:
			name = "requirements.txt"
		}
		locked, err := ParseLockfile("/"+name, b)
		if err != nil {
			return
		}
		for _, l := range locked {
			if l.Name == "" || l.Version == "" {
				t.Fatalf("%s: entry without name or version: %+v", name, l)
			}
		}
	})
}
