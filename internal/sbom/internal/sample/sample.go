// Package sample builds the SBOM the format tests encode: an image of two
// layers with a distribution, OS and language packages, an ownership link,
// owned files, every kind of license string and a warning.
package sample

import "github.com/plimsoll/plimsoll/internal/sbom"

const (
	diff0 = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	diff1 = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
)

// SBOM returns a fresh, sorted, fully populated document.
func SBOM() *sbom.SBOM {
	s := &sbom.SBOM{
		Schema: sbom.SchemaVersion,
		Source: sbom.Source{
			Reference:      "registry:docker.io/library/app:1.0",
			Kind:           "registry",
			ManifestDigest: "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			ConfigDigest:   "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
			RepoDigests:    []string{"docker.io/library/app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
			Tags:           []string{"docker.io/library/app:1.0"},
			Platform:       "linux/amd64",
			Layers: []sbom.Layer{
				{Index: 0, Digest: "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", DiffID: diff0, Size: 1234, MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", CreatedBy: "# debian.sh"},
				{Index: 1, Digest: "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", DiffID: diff1, Size: 99, MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", CreatedBy: "RUN apt-get install -y python3-django && npm ci"},
			},
		},
		Distro: &sbom.Distro{ID: "debian", VersionID: "12", Codename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)", Source: "/etc/os-release"},
		Packages: []sbom.Package{
			{
				Name: "base-files", Version: "12.4+deb12u5", Type: sbom.TypeDeb,
				PURL:      "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
				Licenses:  []string{"GPL-2.0-or-later"},
				Locations: []sbom.Location{{Path: "/var/lib/dpkg/status", Layer: 0, DiffID: diff0}},
				Cataloger: "dpkg",
				Metadata:  &sbom.DpkgMetadata{Architecture: "amd64", InstalledSize: 341, Files: 1},
			},
			{
				Name: "python3-django", Version: "3:3.2.19-1+deb12u1", Type: sbom.TypeDeb,
				PURL:         "pkg:deb/debian/python3-django@3%3A3.2.19-1%2Bdeb12u1?arch=all&distro=debian-12&epoch=3",
				Licenses:     []string{"BSD-3-Clause", "Custom License (see copyright)"},
				Locations:    []sbom.Location{{Path: "/var/lib/dpkg/status", Layer: 1, DiffID: diff1}, {Path: "/var/lib/dpkg/info/python3-django.list", Layer: 1, DiffID: diff1}},
				IntroducedBy: 1,
				Cataloger:    "dpkg",
				Metadata:     &sbom.DpkgMetadata{Source: "python-django", Architecture: "all", InstalledSize: 21000, Depends: "python3:any, python3-asgiref"},
			},
			{
				Name: "django", Version: "3.2.19", Type: sbom.TypePython,
				PURL:         "pkg:pypi/django@3.2.19",
				Licenses:     []string{"BSD-3-Clause"},
				Locations:    []sbom.Location{{Path: "/usr/lib/python3/dist-packages/Django-3.2.19.dist-info/METADATA", Layer: 1, DiffID: diff1}},
				IntroducedBy: 1,
				Cataloger:    "python",
				Metadata:     &sbom.PythonMetadata{DeclaredName: "Django", Installer: "debian"},
			},
			{
				Name: "@scope/left-pad", Version: "1.3.0", Type: sbom.TypeNpm,
				PURL:         "pkg:npm/%40scope/left-pad@1.3.0",
				Licenses:     []string{"MIT OR Apache-2.0"},
				Locations:    []sbom.Location{{Path: "/app/node_modules/@scope/left-pad/package.json", Layer: 1, DiffID: diff1}},
				IntroducedBy: 1,
				Cataloger:    "npm",
			},
			{
				Name: "mocha", Version: "10.2.0", Type: sbom.TypeNpm,
				PURL:         "pkg:npm/mocha@10.2.0",
				Licenses:     []string{"LicenseRef-Proprietary", "MIT"},
				Locations:    []sbom.Location{{Path: "/app/package-lock.json", Layer: 1, DiffID: diff1}},
				IntroducedBy: 1,
				Dev:          true,
				Cataloger:    "npm",
				Metadata:     &sbom.NpmMetadata{Integrity: "sha512-abc", Lockfile: 3},
			},
			{
				Name: "stdlib", Version: "go1.22.1", Type: sbom.TypeGoModule,
				PURL:         "pkg:golang/stdlib@go1.22.1",
				Locations:    []sbom.Location{{Path: "/usr/local/bin/app", Layer: 1, DiffID: diff1}},
				IntroducedBy: 1,
				Cataloger:    "golang",
				Metadata:     &sbom.GoModuleMetadata{GoVersion: "go1.22.1", GOOS: "linux", GOARCH: "amd64"},
			},
		},
		Files: []sbom.File{
			{Path: "/etc/debian_version", Layer: 0, DiffID: diff0, Digest: "sha256:3333333333333333333333333333333333333333333333333333333333333333"},
			{Path: "/usr/lib/python3/dist-packages/django/__init__.py", Layer: 1, DiffID: diff1},
		},
		Warnings: []sbom.Warning{{Cataloger: "npm", Path: "/app/broken/package.json", Message: "not JSON"}},
	}
	for i := range s.Packages {
		s.Packages[i].ComputeID()
	}
	id := func(name string) string {
		for _, p := range s.Packages {
			if p.Name == name {
				return p.ID
			}
		}
		return ""
	}
	s.Relationships = []sbom.Relationship{
		{From: id("python3-django"), To: id("django"), Type: sbom.Owns},
		{From: id("base-files"), To: "/etc/debian_version", Type: sbom.Contains},
		{From: id("python3-django"), To: "/usr/lib/python3/dist-packages/django/__init__.py", Type: sbom.Contains},
	}
	s.Sort()
	return s
}
