package distro

import (
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIdentify(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  Distro
		found bool
	}{
		{
			name: "debian os-release via /usr/lib",
			files: map[string]string{"/usr/lib/os-release": `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION_CODENAME=bookworm
ID=debian
`},
			want:  Distro{ID: "debian", VersionID: "12", Codename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)", Source: "/usr/lib/os-release"},
			found: true,
		},
		{
			name:  "ubuntu with ID_LIKE and comments",
			files: map[string]string{"/etc/os-release": "# comment\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nbroken line\n"},
			want:  Distro{ID: "ubuntu", VersionID: "22.04", Codename: "jammy", IDLike: []string{"debian"}, Source: "/etc/os-release"},
			found: true,
		},
		{
			name:  "rocky with single quotes",
			files: map[string]string{"/etc/os-release": "ID='rocky'\nID_LIKE='rhel centos fedora'\nVERSION_ID='9.3'\n"},
			want:  Distro{ID: "rocky", VersionID: "9.3", IDLike: []string{"rhel", "centos", "fedora"}, Source: "/etc/os-release"},
			found: true,
		},
		{
			name:  "debian_version fallback",
			files: map[string]string{"/etc/debian_version": "12.5\n"},
			want:  Distro{ID: "debian", VersionID: "12", Source: "/etc/debian_version"},
			found: true,
		},
		{
			name:  "alpine-release fallback",
			files: map[string]string{"/etc/alpine-release": "3.19.1\n"},
			want:  Distro{ID: "alpine", VersionID: "3.19.1", Source: "/etc/alpine-release"},
			found: true,
		},
		{
			name:  "redhat-release fallback",
			files: map[string]string{"/etc/redhat-release": "Rocky Linux release 9.3 (Blue Onyx)\n"},
			want:  Distro{ID: "rocky", VersionID: "9.3", PrettyName: "Rocky Linux release 9.3 (Blue Onyx)", Source: "/etc/redhat-release"},
			found: true,
		},
		{
			name:  "os-release without ID falls through",
			files: map[string]string{"/etc/os-release": "NAME=x\n", "/etc/alpine-release": "3.18.0"},
			want:  Distro{ID: "alpine", VersionID: "3.18.0", Source: "/etc/alpine-release"},
			found: true,
		},
		{name: "nothing", files: map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, found := Identify(func(p string) ([]byte, error) {
				if s, ok := tc.files[p]; ok {
					return []byte(s), nil
				}
				return nil, fs.ErrNotExist
			})
			if found != tc.found {
				t.Fatalf("found = %t, want %t", found, tc.found)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Identify (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseOSRelease(f *testing.F) {
	f.Add("ID=debian\nVERSION_ID=\"12\"\n")
	f.Add("ID='x'\nID_LIKE=\"a b\"\nPRETTY_NAME=\"\\\"q\\\"\"")
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseOSRelease([]byte(s))
		_ = parseRedHatRelease(s)
		_ = debianVersion([]byte(s))
		for _, like := range d.IDLike {
			if like == "" {
				t.Fatalf("empty ID_LIKE element from %q", s)
			}
		}
	})
}
