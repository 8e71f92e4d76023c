package passwdfile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/passwdfile"
)

const passwd = "root:x:0:0:root:/root:/bin/bash\n# comment\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\nbad\ntoor:x:0:0::/root:/bin/sh\n"

func TestPasswd(t *testing.T) {
	in := &gate.Input{FS: gatetest.FS{gatetest.Reg("/etc/passwd", 2, 0o644, passwd)}}
	tests := []struct {
		trigger string
		args    map[string]string
		want    []string
	}{
		{"blacklist_usernames", map[string]string{"user_names": "sshd,nobody"}, []string{"sshd@2"}},
		{"blacklist_userids", map[string]string{"user_ids": "0"}, []string{"0@2", "0@2"}},
		{"blacklist_groupids", map[string]string{"group_ids": "65534"}, []string{"65534@2"}},
		{"blacklist_shells", map[string]string{"shells": "/bin/sh, /bin/bash"}, []string{"/bin/bash@2", "/bin/sh@2"}},
		{"blacklist_full_entry", map[string]string{"entry": "toor:x:0:0::/root:/bin/sh"}, []string{"toor:x:0:0::/root:/bin/sh@2"}},
		{"content_not_available", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.trigger, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, passwdfile.New(), tc.trigger, tc.args, in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNotAvailable(t *testing.T) {
	for name, in := range map[string]*gate.Input{
		"sbom":    {},
		"missing": {FS: gatetest.FS{gatetest.Reg("/etc/group", 0, 0o644, "root:x:0:\n")}},
	} {
		if got := gatetest.Run(t, passwdfile.New(), "content_not_available", nil, in); len(got) != 1 {
			t.Errorf("%s: fires %v, want one", name, got)
		}
	}
}
