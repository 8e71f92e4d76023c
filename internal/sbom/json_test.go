package sbom

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sample() *SBOM {
	s := &SBOM{
		Source: Source{
			Reference: "oci-dir:/tmp/x:1.0", Kind: "oci-dir", ManifestDigest: "sha256:aa",
			Platform: "linux/amd64",
			Layers:   []Layer{{Index: 0, DiffID: "sha256:d0", Size: 10, CreatedBy: "ADD rootfs /"}, {Index: 1, DiffID: "sha256:d1"}},
		},
		Distro: &Distro{ID: "debian", VersionID: "12", Codename: "bookworm", Source: "/etc/os-release"},
		Packages: []Package{
			{Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Type: TypeDeb, PURL: "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
				Licenses: []string{"Zlib"}, Locations: []Location{{Path: "/var/lib/dpkg/status", Layer: 0, DiffID: "sha256:d0"}},
				Cataloger: "dpkg", Metadata: &DpkgMetadata{Source: "zlib", Architecture: "amd64", InstalledSize: 168}},
			{Name: "left-pad", Version: "1.3.0", Type: TypeNpm, PURL: "pkg:npm/left-pad@1.3.0", Dev: true, IntroducedBy: 1,
				Locations: []Location{{Path: "/app/node_modules/left-pad/package.json", Layer: 1}}, Cataloger: "npm",
				Metadata: &NpmMetadata{Resolved: "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"}},
			{Name: "adduser", Version: "3.134", Type: TypeDeb, Locations: []Location{{Path: "/var/lib/dpkg/status"}}, Cataloger: "dpkg"},
		},
		Files:         []File{{Path: "/usr/sbin/adduser", DiffID: "sha256:d0"}, {Path: "/etc/adduser.conf"}},
		Relationships: []Relationship{{From: "b", To: "/usr/sbin/adduser", Type: Contains}, {From: "a", To: "/etc/adduser.conf", Type: Contains}},
		Warnings:      []Warning{{Cataloger: "npm", Path: "/app/package.json", Message: "not JSON"}},
	}
	for i := range s.Packages {
		s.Packages[i].ComputeID()
	}
	return s
}

func TestJSONRoundTrip(t *testing.T) {
	var first bytes.Buffer
	if err := WriteJSON(&first, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := sample()
	want.Sort()
	want.Schema = SchemaVersion
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded document (-want +got):\n%s", diff)
	}
	var second bytes.Buffer
	if err := WriteJSON(&second, got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first.String(), second.String()); diff != "" {
		t.Errorf("re-encoded bytes differ (-first +second):\n%s", diff)
	}
	if !strings.Contains(first.String(), `"metadataType": "dpkg"`) {
		t.Errorf("metadata type not written:\n%s", first.String())
	}
}

func TestSortOrder(t *testing.T) {
	s := sample()
	s.Sort()
	var got []string
	for _, p := range s.Packages {
		got = append(got, string(p.Type)+"/"+p.Name)
	}
	want := []string{"deb/adduser", "deb/zlib1g", "npm/left-pad"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("package order (-want +got):\n%s", diff)
	}
	if s.Files[0].Path != "/etc/adduser.conf" || s.Relationships[0].From != "a" {
		t.Errorf("files or relationships not sorted: %v %v", s.Files, s.Relationships)
	}
}

func TestComputeIDStable(t *testing.T) {
	a := Package{Name: "x", Version: "1", Type: TypeNpm, Locations: []Location{{Path: "/a/package.json"}}}
	b := a
	b.Locations = []Location{{Path: "/b/package.json"}}
	a.ComputeID()
	b.ComputeID()
	again := a
	again.ComputeID()
	if a.ID == b.ID {
		t.Errorf("packages at different locations share ID %s", a.ID)
	}
	if a.ID != again.ID || len(a.ID) != 16 {
		t.Errorf("ID %q not stable or not 16 hex digits (%q)", a.ID, again.ID)
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"not json", "{", "decode sbom"},
		{"wrong schema", `{"schema":"other","source":{"reference":"","kind":""},"packages":[]}`, `schema "other"`},
		{"unknown metadata", `{"schema":"plimsoll-sbom/1","source":{"reference":"","kind":""},"packages":[{"id":"x","name":"a","version":"1","type":"deb","locations":[],"introducedBy":0,"cataloger":"c","metadataType":"nope","metadata":{}}]}`, `unknown metadata type "nope"`},
		{"unknown field", `{"schema":"plimsoll-sbom/1","source":{"reference":"","kind":""},"packages":[],"extra":1}`, "unknown field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadJSON error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
