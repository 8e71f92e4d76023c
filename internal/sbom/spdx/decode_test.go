package spdx

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// foreign is an SPDX 2.2 document of the shape other tools write: a described
// directory root without purl, packages with purls and licenses, syft's
// ownership-by-file-overlap, a file the package contains.
const foreign = `{
  "spdxVersion": "SPDX-2.2", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
  "name": "/rootfs", "documentNamespace": "https://example.com/x",
  "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: syft-1.0"]},
  "packages": [
    {"SPDXID": "SPDXRef-DocumentRoot-Directory-rootfs", "name": "/rootfs", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-Package-deb-python3-six", "name": "python3-six", "versionInfo": "1.16.0-4",
     "downloadLocation": "NOASSERTION", "licenseConcluded": "NOASSERTION", "licenseDeclared": "MIT AND LicenseRef-Expat-like",
     "sourceInfo": "acquired package info from DPKG DB: /var/lib/dpkg/status",
     "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:deb/debian/python3-six@1.16.0-4"}]},
    {"SPDXID": "SPDXRef-Package-python-six", "name": "six", "versionInfo": "1.16.0",
     "downloadLocation": "NOASSERTION", "licenseConcluded": "(MIT OR Apache-2.0)", "licenseDeclared": "NOASSERTION",
     "sourceInfo": "acquired package info from /usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/six@1.16.0"}]}
  ],
  "files": [
    {"SPDXID": "SPDXRef-File-six", "fileName": "/usr/lib/python3/dist-packages/six.py",
     "checksums": [{"algorithm": "SHA256", "checksumValue": "0000000000000000000000000000000000000000000000000000000000000000"}]}
  ],
  "hasExtractedLicensingInfos": [{"licenseId": "LicenseRef-Expat-like", "extractedText": "Expat-like terms"}],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-DocumentRoot-Directory-rootfs", "relationshipType": "DESCRIBES"},
    {"spdxElementId": "SPDXRef-DocumentRoot-Directory-rootfs", "relatedSpdxElement": "SPDXRef-Package-deb-python3-six", "relationshipType": "CONTAINS"},
    {"spdxElementId": "SPDXRef-Package-deb-python3-six", "relatedSpdxElement": "SPDXRef-Package-python-six", "relationshipType": "OTHER", "comment": "ownership-by-file-overlap: indicates that the parent package claims ownership"},
    {"spdxElementId": "SPDXRef-Package-deb-python3-six", "relatedSpdxElement": "SPDXRef-File-six", "relationshipType": "CONTAINS"}
  ]
}`

func TestDecodeForeign(t *testing.T) {
	s, err := Decode(strings.NewReader(foreign))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Type          sbom.Type
		Name, Version string
		PURL          string
		Licenses      []string
	}
	var got []row
	ids := map[string]string{}
	for _, p := range s.Packages {
		got = append(got, row{p.Type, p.Name, p.Version, p.PURL, p.Licenses})
		ids[p.Name] = p.ID
	}
	want := []row{
		{sbom.TypeDeb, "python3-six", "1.16.0-4", "pkg:deb/debian/python3-six@1.16.0-4", []string{"Expat-like terms", "MIT"}},
		{sbom.TypePython, "six", "1.16.0", "pkg:pypi/six@1.16.0", []string{"MIT OR Apache-2.0"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages mismatch (-want +got):\n%s", diff)
	}
	wantRels := []sbom.Relationship{
		{From: ids["python3-six"], To: "/usr/lib/python3/dist-packages/six.py", Type: sbom.Contains},
		{From: ids["python3-six"], To: ids["six"], Type: sbom.Owns},
	}
	if diff := cmp.Diff(wantRels, s.Relationships); diff != "" {
		t.Errorf("relationships mismatch (-want +got):\n%s", diff)
	}
	if s.Source.Reference != "/rootfs" {
		t.Errorf("source %+v, want reference /rootfs", s.Source)
	}
	if len(s.Files) != 1 || s.Files[0].Digest != "sha256:0000000000000000000000000000000000000000000000000000000000000000" {
		t.Errorf("files = %+v", s.Files)
	}
	if p := s.Packages[0]; len(p.Locations) != 1 || p.Locations[0].Path != "/var/lib/dpkg/status" {
		t.Errorf("python3-six locations = %+v", p.Locations)
	}
	if p := s.Packages[1]; len(p.Locations) != 1 || p.Locations[0].Path != "/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA" {
		t.Errorf("six locations = %+v", p.Locations)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		wantIs error
	}{
		{"not json", "SPDXVersion: SPDX-2.3", ErrNotSPDX},
		{"cyclonedx", `{"bomFormat":"CycloneDX"}`, ErrNotSPDX},
		{"spdx 3", `{"spdxVersion":"SPDX-3.0"}`, nil},
		{"wrong type", `{"spdxVersion":"SPDX-2.3","packages":7}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.in))
			if err == nil {
				t.Fatal("Decode succeeded")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
			if !strings.HasPrefix(err.Error(), "decode spdx: ") {
				t.Errorf("error %q does not name the operation", err)
			}
		})
	}
}
