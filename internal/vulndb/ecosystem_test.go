package vulndb

import "testing"

func TestNormalizeEcosystem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Debian:12", "Debian:12"},
		{"debian:bookworm", "Debian:12"},
		{"Debian:12.4", "Debian:12"},
		{"Alpine:v3.19", "Alpine:v3.19"},
		{"alpine:3.19.1", "Alpine:v3.19"},
		{"Alpine:edge", "Alpine:edge"},
		{"Ubuntu:22.04:LTS", "Ubuntu:22.04:LTS"},
		{"ubuntu:22.04", "Ubuntu:22.04:LTS"},
		{"Ubuntu:23.10", "Ubuntu:23.10"},
		{"Ubuntu:pro:18.04:lts", "Ubuntu:Pro:18.04:LTS"},
		{"rocky linux:9.3", "Rocky Linux:9"},
		{"AlmaLinux:8", "AlmaLinux:8"},
		{"Red Hat:enterprise_linux:8::appstream", "Red Hat:enterprise_linux:8::appstream"},
		{"pypi", "PyPI"},
		{" npm ", "npm"},
		{"golang", "Go"},
		{"crates.io", "crates.io"},
		{"SUSE:Linux Enterprise Server 15 SP4", "SUSE:Linux Enterprise Server 15 SP4"},
		{"Unknown:1", "Unknown:1"},
		{"Debian:", "Debian"},
	}
	for _, tc := range tests {
		if got := NormalizeEcosystem(tc.in); got != tc.want {
			t.Errorf("NormalizeEcosystem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ eco, in, want string }{
		{"PyPI", "Django", "django"},
		{"PyPI", "zope.interface", "zope-interface"},
		{"PyPI", "Foo__Bar-.baz", "foo-bar-baz"},
		{"npm", "JSONStream", "JSONStream"},
		{"npm", "@Scope/pkg", "@Scope/pkg"},
		{"NuGet", "Newtonsoft.Json", "newtonsoft.json"},
		{"Packagist", "Symfony/HTTP-Kernel", "symfony/http-kernel"},
		{"crates.io", "Serde_JSON", "serde-json"},
		{"Maven", "org.apache.logging.log4j:log4j-core", "org.apache.logging.log4j:log4j-core"},
		{"Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml"},
		{"Debian:12", " openssl ", "openssl"},
	}
	for _, tc := range tests {
		if got := NormalizeName(tc.eco, tc.in); got != tc.want {
			t.Errorf("NormalizeName(%q, %q) = %q, want %q", tc.eco, tc.in, got, tc.want)
		}
	}
}
