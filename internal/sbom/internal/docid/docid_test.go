package docid

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseImage(t *testing.T) {
	tests := []struct {
		in   string
		want Image
	}{
		{"debian", Image{Repository: "debian", Name: "debian"}},
		{"registry:debian:12", Image{Repository: "debian", Name: "debian", Tag: "12"}},
		{"localhost:5000/a/b:1.0", Image{Repository: "localhost:5000/a/b", Name: "b", Tag: "1.0"}},
		{"localhost:5000/a/b", Image{Repository: "localhost:5000/a/b", Name: "b"}},
		{"ghcr.io/o/app@sha256:abc", Image{Repository: "ghcr.io/o/app", Name: "app", Digest: "sha256:abc"}},
		{"ghcr.io/o/app:1@sha256:abc", Image{Repository: "ghcr.io/o/app", Name: "app", Tag: "1", Digest: "sha256:abc"}},
		{"oci-dir:./layout", Image{Repository: "./layout", Name: "layout"}},
		{"", Image{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ParseImage(tc.in)); diff != "" {
				t.Errorf("ParseImage(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

var uuidV5 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestUUID(t *testing.T) {
	a, b := UUID("a"), UUID("b")
	if !uuidV5.MatchString(a) || !uuidV5.MatchString(b) {
		t.Errorf("UUIDs %q, %q are not version-5 UUIDs", a, b)
	}
	if a == b || a != UUID("a") {
		t.Errorf("UUID is not a function of its name: %q %q %q", a, b, UUID("a"))
	}
}
