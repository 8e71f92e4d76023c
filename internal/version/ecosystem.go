package version

import "strings"

// ForEcosystem returns the version scheme of an OSV ecosystem, such as
// "Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.19", "Rocky Linux:9", "npm",
// "Go", "PyPI" or "Maven". Only the part before the first ':' matters. It
// reports false for ecosystems without a known scheme (GIT, Linux, CRAN…).
func ForEcosystem(ecosystem string) (Scheme, bool) {
	base, _, _ := strings.Cut(strings.TrimSpace(ecosystem), ":")
	switch base {
	case "Debian", "Ubuntu":
		return Deb{}, true
	case "Alpine", "Wolfi", "Chainguard", "MinimOS", "Alpaquita":
		return APK{}, true
	case "Red Hat", "Rocky Linux", "AlmaLinux", "Mageia", "openEuler", "Azure Linux":
		return RPM{}, true
	case "npm", "Go", "crates.io", "Hex":
		return SemVer{}, true
	case "PyPI":
		return PEP440{}, true
	case "Maven":
		return Maven{}, true
	case "RubyGems":
		return Gem{}, true
	case "NuGet":
		return NuGet{}, true
	case "Packagist":
		return Composer{}, true
	}
	// Families whose ecosystem names carry the product in the first part:
	// "SUSE Linux Enterprise Server 15 SP5", "openSUSE Leap 15.5",
	// "Amazon Linux 2023" as well as the "SUSE:…" forms.
	for _, prefix := range []string{"SUSE", "openSUSE", "Amazon Linux"} {
		if strings.HasPrefix(base, prefix) {
			return RPM{}, true
		}
	}
	return nil, false
}
