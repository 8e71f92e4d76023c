package trust_test

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/trust"
)

const (
	subject  = "sha256:73f48cd40ddf862af7acb4865bd01348b2a2cc1cd21ecca985a700a2cb21eb8f"
	notaryT  = "application/vnd.cncf.notary.signature"
	emptyCfg = `{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}`
	jwsLayer = `{"mediaType":"application/jose+json","digest":"sha256:2154b70f014965233d3e889072fcb296f8315ce3a9f0e74fdaffe73ee08f6e2b","size":1234}`
)

var artifactSeeds = []string{
	`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"` + notaryT + `","config":` + emptyCfg + `,"layers":[` + jwsLayer + `],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + subject + `","size":500}}`,
	`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"` + notaryT + `","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[` + jwsLayer + `],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + subject + `","size":500}}`,
	`{"schemaVersion":2,"config":` + emptyCfg + `,"layers":[]}`,
}

func TestParseArtifact(t *testing.T) {
	for _, tc := range []struct {
		name, raw         string
		typ, subject, err string
	}{
		{"artifactType form", artifactSeeds[0], notaryT, subject, ""},
		{"config media type form", artifactSeeds[1], notaryT, subject, ""},
		{"no subject", artifactSeeds[2], "application/vnd.oci.empty.v1+json", "", ""},
		{"not JSON", "{", "", "", "artifact manifest"},
		{"schema 1", `{"schemaVersion":1}`, "", "", "schemaVersion 1"},
		{"an index", `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"}`, "", "", "not an OCI image manifest"},
		{"bad subject digest", `{"schemaVersion":2,"subject":{"digest":"sha256:zz"}}`, "", "", "artifact manifest"},
		{"subject without a digest", `{"schemaVersion":2,"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json"}}`, "", "", "subject without a digest"},
		{"too large", `{"schemaVersion":2,"x":"` + strings.Repeat("a", 5<<20) + `"}`, "", "", "more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := trust.ParseArtifact([]byte(tc.raw))
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("ParseArtifact error = %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case a.Type != tc.typ || a.Subject != tc.subject:
				t.Errorf("ParseArtifact = type %q subject %q, want %q %q", a.Type, a.Subject, tc.typ, tc.subject)
			}
		})
	}
}

func TestListed(t *testing.T) {
	accept := func(at string) bool { return at == notaryT }
	for _, tc := range []struct {
		d    v1.Descriptor
		want bool
	}{
		{v1.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", ArtifactType: notaryT}, true},
		{v1.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json"}, true},
		{v1.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", ArtifactType: trust.EmptyArtifact}, true},
		{v1.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", ArtifactType: "application/spdx+json"}, false},
		{v1.Descriptor{MediaType: "application/vnd.oci.image.index.v1+json", ArtifactType: notaryT}, false},
	} {
		if got := trust.Listed(tc.d, accept); got != tc.want {
			t.Errorf("Listed(%s %q) = %v, want %v", tc.d.MediaType, tc.d.ArtifactType, got, tc.want)
		}
	}
}

// FuzzParseArtifact: any manifest bytes give an artifact or an error, never a
// panic, and a parsed subject is a digest.
func FuzzParseArtifact(f *testing.F) {
	for _, s := range artifactSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := trust.ParseArtifact(b)
		if err != nil {
			if a != nil {
				t.Fatal("an artifact with an error")
			}
			return
		}
		if a.Subject != "" {
			if _, err := v1.NewHash(a.Subject); err != nil {
				t.Fatalf("subject %q is not a digest: %v", a.Subject, err)
			}
		}
	})
}
