package packages_test

import (
	"crypto/md5"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/packages"
)

func md5hex(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }

func verifyInput() *gate.Input {
	sums := md5hex("bash") + "  usr/bin/bash\n" +
		md5hex("orig") + "  usr/bin/changed\n" +
		md5hex("x") + "  usr/bin/gone\n" +
		md5hex("doc") + "  usr/share/doc/bash/README\n" +
		md5hex("doc") + "  usr/share/doc/bash/copyright\n"
	return &gate.Input{FS: gatetest.FS{
		gatetest.Reg("/var/lib/dpkg/info/bash.md5sums", 0, 0o644, sums),
		gatetest.Reg("/var/lib/dpkg/info/other:amd64.md5sums", 0, 0o644, md5hex("y")+"  usr/bin/other-gone\n"),
		gatetest.Reg("/var/lib/dpkg/info/merged.md5sums", 0, 0o644, md5hex("bash")+"  usr/bin/bash\n"),
		gatetest.Reg("/etc/dpkg/dpkg.cfg.d/docker", 0, 0o644, "# as Docker's debian images write it\npath-exclude /usr/share/doc/*\npath-include=/usr/share/doc/*/copyright\n"),
		gatetest.Reg("/usr/bin/bash", 0, 0o755, "bash"),
		gatetest.Reg("/usr/bin/changed", 2, 0o755, "tampered"),
	}}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name string
		args map[string]string
		want []string
	}{
		{"missing everywhere", map[string]string{"check": "missing"}, []string{"bash:/usr/bin/gone@-", "bash:/usr/share/doc/bash/copyright@-", "other:/usr/bin/other-gone@-"}},
		{"merged usr", map[string]string{"only_packages": "merged"}, nil},
		{"one package", map[string]string{"only_packages": "other"}, []string{"other:/usr/bin/other-gone@-"}},
		{"both under a directory", map[string]string{"only_directories": "/usr/bin/"}, []string{"bash:/usr/bin/changed@2", "bash:/usr/bin/gone@-", "other:/usr/bin/other-gone@-"}},
		{"changed", map[string]string{"only_directories": "/usr", "check": "changed"}, []string{"bash:/usr/bin/changed@2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, packages.New(), "verify", tc.args, verifyInput()))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
	tr := gatetest.Trigger(t, packages.New(), "verify")
	for _, bad := range []map[string]string{{"check": "changed"}, {"only_directories": "usr"}} {
		if _, err := gatetest.Compile(tr, bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
