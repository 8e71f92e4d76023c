package files_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/files"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
)

func input() *gate.Input {
	dir := gatetest.File{File: layerfs.File{Path: "/tmp", Type: layerfs.Dir, Mode: 0o1777}}
	return &gate.Input{FS: gatetest.FS{
		gatetest.Reg("/usr/bin/su", 0, layerfs.ModeSetuid|0o755, ""),
		gatetest.Reg("/usr/bin/wall", 0, layerfs.ModeSetgid|0o755, ""),
		gatetest.Reg("/usr/bin/both", 1, layerfs.ModeSetuid|layerfs.ModeSetgid|0o755, ""),
		gatetest.Reg("/app/id_rsa", 1, 0o600, "x"),
		gatetest.Reg("/app/conf.ini", 1, 0o644, "a=1\npassword=hunter2\n"),
		gatetest.Reg("/usr/lib/x.so", 0, 0o644, "password=x"),
		dir,
	}}
}

func TestFiles(t *testing.T) {
	tests := []struct {
		trigger string
		args    map[string]string
		want    []string
	}{
		{"suid_or_guid_set", nil, []string{"/usr/bin/both@1", "/usr/bin/su@0", "/usr/bin/wall@0"}},
		{"name_match", map[string]string{"regex": "id_rsa|^/tmp"}, []string{"/app/id_rsa@1"}},
		{"content_regex_match", map[string]string{"regex_name": "password="}, []string{"password=+/app/conf.ini@1"}},
		{"content_regex_match", map[string]string{"regex_name": "password=", "filename_regex": `\.txt$`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.trigger, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, files.New(), tc.trigger, tc.args, input()))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContentMatchLine(t *testing.T) {
	fires := gatetest.Run(t, files.New(), "content_regex_match", map[string]string{"regex_name": "password="}, input())
	if len(fires) != 1 || fires[0].Detail != "/app/conf.ini line 2 matches password=" {
		t.Errorf("fires %+v", fires)
	}
}

func TestNoFiles(t *testing.T) {
	for _, tr := range []string{"suid_or_guid_set", "name_match", "content_regex_match"} {
		args := map[string]string{"regex": ".", "regex_name": "."}
		if got := gatetest.Run(t, files.New(), tr, args, &gate.Input{}); len(got) != 0 {
			t.Errorf("%s fired without files: %v", tr, got)
		}
	}
}

func TestAttributeMatch(t *testing.T) {
	const sumX = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" // sha256("x")
	tests := []struct {
		name string
		args map[string]string
		want []string
	}{
		{"checksum equals", map[string]string{"filename": "/app/id_rsa", "checksum": sumX}, []string{"/app/id_rsa@1"}},
		{"checksum differs", map[string]string{"filename": "/app/id_rsa", "checksum": "00"}, nil},
		{"checksum not_equals", map[string]string{"filename": "/app/id_rsa", "checksum": "00", "checksum_match": "not_equals"}, []string{"/app/id_rsa@1"}},
		{"mode", map[string]string{"filename": "/app/id_rsa", "mode": "0600"}, []string{"/app/id_rsa@1"}},
		{"mode and checksum", map[string]string{"filename": "/app/id_rsa", "mode": "0600", "checksum": "00"}, nil},
		{"setuid mode not_equals", map[string]string{"filename": "/usr/bin/su", "mode": "04755", "mode_op": "not_equals"}, nil},
		{"missing skipped", map[string]string{"filename": "/nope", "mode": "0644"}, nil},
		{"missing fires", map[string]string{"filename": "/nope", "mode": "0644", "skip_missing": "false"}, []string{"/nope@-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, files.New(), "attribute_match", tc.args, input()))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
	tr := gatetest.Trigger(t, files.New(), "attribute_match")
	for _, bad := range []map[string]string{{"filename": "rel", "mode": "0644"}, {"filename": "/a"}, {"filename": "/a", "mode": "999"}} {
		if _, err := gatetest.Compile(tr, bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestSuidAnchoreID: the Anchore ID of a setuid file is the one Anchore Engine
// reported for /usr/bin/chage at mode 0o104755 (st_mode with its file type): a
// compliance report published in public container-hardening pipelines pairs
// that finding ("SUID or SGID found set on file /usr/bin/chage. Mode:
// 0o104755", gate files, trigger suid_or_guid_set) with this trigger_id.
func TestSuidAnchoreID(t *testing.T) {
	in := &gate.Input{FS: gatetest.FS{gatetest.Reg("/usr/bin/chage", 0, layerfs.ModeSetuid|0o755, "")}}
	got := gatetest.AnchoreIDs(gatetest.Run(t, files.New(), "suid_or_guid_set", nil, in))
	if diff := cmp.Diff([]string{"639f6f1177735759703e928c14714a59"}, got); diff != "" {
		t.Errorf("Anchore IDs (-want +got):\n%s", diff)
	}
}
