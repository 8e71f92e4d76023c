package version

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSchemesUniqueAndComplete(t *testing.T) {
	names := map[string]bool{}
	for _, s := range Schemes() {
		if names[s.Name()] {
			t.Errorf("scheme name %q listed twice", s.Name())
		}
		names[s.Name()] = true
	}
	// Every scheme package (a directory here other than internal and
	// testdata) must be listed under its own name.
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var dirs int
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "internal" || e.Name() == "testdata" {
			continue
		}
		dirs++
		if !names[e.Name()] {
			t.Errorf("scheme package %q is not listed in Schemes", e.Name())
		}
	}
	if dirs != len(names) {
		t.Errorf("%d scheme packages but %d schemes listed", dirs, len(names))
	}
}

func TestForEcosystem(t *testing.T) {
	tests := map[string]string{
		"Debian":                                "deb",
		"Debian:12":                             "deb",
		"Ubuntu:22.04:LTS":                      "deb",
		"Ubuntu:Pro:18.04:LTS":                  "deb",
		"Alpine:v3.19":                          "apk",
		"Wolfi":                                 "apk",
		"Chainguard":                            "apk",
		"MinimOS":                               "apk",
		"Alpaquita:stream":                      "apk",
		"Azure Linux:3":                         "rpm",
		"Mageia:9":                              "rpm",
		"openEuler:22.03-LTS":                   "rpm",
		"Hex":                                   "semver",
		"Red Hat":                               "rpm",
		"Red Hat:enterprise_linux:9::appstream": "rpm",
		"Rocky Linux:9":                         "rpm",
		"AlmaLinux:9":                           "rpm",
		"SUSE:Linux Enterprise Server 15 SP5":   "rpm",
		"openSUSE:Leap 15.5":                    "rpm",
		"openSUSE:Tumbleweed":                   "rpm",
		"Amazon Linux:2023":                     "rpm",
		"Amazon Linux 2":                        "rpm",
		"npm":                                   "semver",
		"Go":                                    "semver",
		"crates.io":                             "semver",
		"PyPI":                                  "pep440",
		"Maven":                                 "maven",
		"Maven:https://repo.maven.apache.org/maven2/": "maven",
		"RubyGems":  "gem",
		"NuGet":     "nuget",
		"Packagist": "composer",
		" PyPI ":    "pep440",
	}
	for eco, want := range tests {
		t.Run(eco, func(t *testing.T) {
			s, ok := ForEcosystem(eco)
			if !ok {
				t.Fatalf("ForEcosystem(%q) not found, want %s", eco, want)
			}
			if s.Name() != want {
				t.Errorf("ForEcosystem(%q) = %s, want %s", eco, s.Name(), want)
			}
		})
	}
	for _, eco := range []string{"", "GIT", "Linux", "OSS-Fuzz", "CRAN", "pypi", "debian:12", "Android", "GSD"} {
		if s, ok := ForEcosystem(eco); ok {
			t.Errorf("ForEcosystem(%q) = %s, want none", eco, s.Name())
		}
	}
}

// TestCompare checks each scheme through the interface with cases from the
// issue's known-answer list.
func TestCompare(t *testing.T) {
	type result struct {
		Cmp int
		Err bool
	}
	tests := []struct {
		eco, a, b string
		want      result
	}{
		{"Debian:12", "1:2.3.4-1+deb12u1", "1:2.3.4-1", result{Cmp: 1}},
		{"Debian:12", "1.0~rc1", "1.0", result{Cmp: -1}},
		{"Debian:12", "2.36.1-8+deb12u1", "1:2.0", result{Cmp: -1}},
		{"Ubuntu:22.04:LTS", "1.2.11.dfsg-2ubuntu9.2", "1.2.11.dfsg-2ubuntu9.10", result{Cmp: -1}},
		{"Rocky Linux:9", "1.0^git1", "1.0", result{Cmp: 1}},
		{"Rocky Linux:9", "1.0~rc1", "1.0", result{Cmp: -1}},
		{"Red Hat", "1:1.1.1k-12.el8_9", "1:1.1.1k-9.el8_7", result{Cmp: 1}},
		{"Alpine:v3.19", "1.2.3_rc1-r0", "1.2.3-r0", result{Cmp: -1}},
		{"Alpine:v3.19", "1.2.3-r0", "1.2.3_p1-r0", result{Cmp: -1}},
		{"Wolfi", "3.1.4-r5", "3.1.4-r10", result{Cmp: -1}},
		{"PyPI", "1.0.dev1", "1.0a1", result{Cmp: -1}},
		{"PyPI", "1.0", "1.0.post1", result{Cmp: -1}},
		{"PyPI", "3.2.19", "3.2.19", result{Cmp: 0}},
		{"Maven", "1-alpha", "1-SNAPSHOT", result{Cmp: -1}},
		{"Maven", "1-SNAPSHOT", "1", result{Cmp: -1}},
		{"Maven", "1", "1-sp", result{Cmp: -1}},
		{"npm", "1.2.3-beta.1", "1.2.3", result{Cmp: -1}},
		{"Go", "v1.2.3", "1.2.3", result{Cmp: 0}},
		{"Go", "0.0.0-20220314234659-1baeb1ce4c0b", "v0.0.0-20220315160706-3147a52a75dd", result{Cmp: -1}},
		{"Go", "v2.0.0+incompatible", "2.0.1", result{Cmp: -1}},
		{"crates.io", "0.10.0-alpha.1", "0.9.9", result{Cmp: 1}},
		{"RubyGems", "7.1.0.rc1", "7.1.0", result{Cmp: -1}},
		{"NuGet", "13.0.2-BETA1", "13.0.2-beta1", result{Cmp: 0}},
		{"Packagist", "5.0.0-RC1", "v5.0.0", result{Cmp: -1}},
		{"Debian:12", "1.0", "", result{Err: true}},
		{"PyPI", "not a version", "1.0", result{Err: true}},
		{"npm", "1.0.0", "1.0.0.0", result{Err: true}},
		{"Packagist", "dev-main", "1.0", result{Err: true}},
	}
	for _, tc := range tests {
		t.Run(tc.eco+"/"+tc.a+"/"+tc.b, func(t *testing.T) {
			s, ok := ForEcosystem(tc.eco)
			if !ok {
				t.Fatalf("ForEcosystem(%q) not found", tc.eco)
			}
			c, err := s.Compare(tc.a, tc.b)
			got := result{Cmp: c, Err: err != nil}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Compare(%q, %q) (-want +got):\n%s (err: %v)", tc.a, tc.b, diff, err)
			}
			if err != nil && !strings.Contains(err.Error(), s.Name()+" version") {
				t.Errorf("error %q does not name the scheme %q", err, s.Name())
			}
			// Parse, then compare, agrees with Compare.
			pa, errA := s.Parse(tc.a)
			pb, errB := s.Parse(tc.b)
			if (errA != nil || errB != nil) != tc.want.Err {
				t.Fatalf("Parse(%q), Parse(%q) = %v, %v; want an error: %t", tc.a, tc.b, errA, errB, tc.want.Err)
			}
			if !tc.want.Err {
				if got := pa.Compare(pb); got != tc.want.Cmp {
					t.Errorf("Parse(%q).Compare(Parse(%q)) = %d; want %d", tc.a, tc.b, got, tc.want.Cmp)
				}
				if got := pb.Compare(pa); got != -tc.want.Cmp {
					t.Errorf("Parse(%q).Compare(Parse(%q)) = %d; want %d", tc.b, tc.a, got, -tc.want.Cmp)
				}
			}
		})
	}
}

// TestIntroducedZero checks that every scheme accepts OSV's "introduced: 0"
// and orders it below an ordinary version.
func TestIntroducedZero(t *testing.T) {
	typical := map[string]string{
		"deb": "1.0-1", "rpm": "1.0-1.el9", "apk": "1.0-r0", "semver": "0.0.1",
		"pep440": "0.0.1", "maven": "0.0.1", "gem": "0.0.1", "nuget": "0.0.1", "composer": "0.0.1",
	}
	for _, s := range Schemes() {
		got, err := s.Compare("0", typical[s.Name()])
		if err != nil || got != -1 {
			t.Errorf("%s: Compare(0, %q) = %d, %v; want -1, nil", s.Name(), typical[s.Name()], got, err)
		}
	}
}
