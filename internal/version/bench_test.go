package version

import "testing"

// BenchmarkCompare measures one Compare (two parses and a comparison) of a
// typical pair per scheme, the matcher's unit of work per range event.
func BenchmarkCompare(b *testing.B) {
	pairs := map[string][2]string{
		"deb":      {"1:2.36.1-8+deb12u1", "1:2.36.1-8+deb12u2"},
		"rpm":      {"1:1.1.1k-12.el8_9", "1:1.1.1k-14.el8_6"},
		"apk":      {"3.1.4-r5", "3.1.4_p1-r0"},
		"semver":   {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"},
		"pep440":   {"4.2rc1", "4.2.post1"},
		"maven":    {"2.15.0-rc1", "2.17.1"},
		"gem":      {"7.1.0.rc1", "7.1.3.4"},
		"nuget":    {"6.0.0-rc.2.21480.5", "6.0.0"},
		"composer": {"5.0.0-RC1", "v5.4.31"},
	}
	for _, s := range Schemes() {
		p := pairs[s.Name()]
		b.Run(s.Name(), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Compare(p[0], p[1]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
