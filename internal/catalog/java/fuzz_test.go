package java

import "testing"

func FuzzArchive(f *testing.F) {
	f.Add(commonsLang(f))
	f.Add(slf4jNoPom(f))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	lim := Limits{Depth: 2, MaxEntry: 1 << 20, MaxRatio: 100}
	f.Fuzz(func(t *testing.T, b []byte) {
		arts, _ := Archive("f.jar", b, lim)
		for _, a := range arts {
			if a.ArtifactID == "" || a.Version == "" {
				t.Fatalf("artifact without name or version: %+v", a)
			}
		}
		ParseManifest(b)
		ParsePomProperties(b)
	})
}
