package npm

import (
	"os"
	"testing"
)

func FuzzParseLock(f *testing.F) {
	for _, v := range []string{"1", "2", "3"} {
		if b, err := os.ReadFile("testdata/package-lock-v" + v + ".json"); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"lockfileVersion":1,"dependencies":{"a":{"version":"1","dependencies":{"a":{"version":"2"}}}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLock(b)
		if err != nil {
			return
		}
		for _, e := range l.Entries {
			if e.Name == "" || e.Version == "" {
				t.Fatalf("entry without name or version: %+v", e)
			}
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	if b, err := os.ReadFile("testdata/node_modules/debug/package.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"name":"a","version":"1","licenses":[{"type":"MIT"},["x"]],"author":{"name":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil {
			return
		}
		for _, l := range m.Licenses {
			if l == "" {
				t.Fatal("empty license")
			}
		}
		_ = purl(m.Name, m.Version)
	})
}

func FuzzParseYarnLock(f *testing.F) {
	for _, p := range []string{"testdata/yarn-v1.lock", "testdata/yarn-berry.lock"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("\"@\":\n  version \"\"\n@:\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseYarnLock(b)
		if err != nil {
			return
		}
		for _, e := range l.Entries {
			if e.Name == "" || e.Version == "" {
				t.Fatalf("entry without name or version: %+v", e)
			}
		}
	})
}

func FuzzParsePnpmLock(f *testing.F) {
	for _, p := range []string{"testdata/pnpm-lock-v6.yaml", "testdata/pnpm-lock-v9.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("packages:\n  /@/:\n    dev: true\n  '@':\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParsePnpmLock(b)
		if err != nil {
			return
		}
		for _, e := range l.Entries {
			if e.Name == "" || e.Version == "" {
				t.Fatalf("entry without name or version: %+v", e)
			}
		}
	})
}
