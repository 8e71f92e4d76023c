package secretscans_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/secretscans"
)

func TestPatterns(t *testing.T) {
	tests := []struct {
		line, want string // want "" means no pattern matches
	}{
		{"aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY"},
		{"AKIAIOSFODNN7EXAMPL", ""},
		{"aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_KEY"},
		{`"AwsSecretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`, "AWS_SECRET_KEY"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----", "PRIV_KEY"},
		{"-----BEGIN PRIVATE KEY-----", "PRIV_KEY"},
		{"-----BEGIN PUBLIC KEY-----", ""},
		{"token: ghp_" + strings.Repeat("a", 36), "GITHUB_TOKEN"},
		{"ghp_short", ""},
		{"GITLAB=glpat-" + strings.Repeat("x", 20), "GITLAB_TOKEN"},
		{"xoxb-1234567890-abcdefghij", "SLACK_TOKEN"},
		{`{"auths":{"r.io":{"auth":"dXNlcjpwYXNzd29yZA=="}}}`, "DOCKER_AUTH"},
		{`"auth": ""`, ""},
		{"API_KEY=0123456789abcdef0123456789", "API_KEY"},
		{"api-key: short", ""},
		{"nothing to see", ""},
	}
	for _, tc := range tests {
		var got []string
		for _, p := range secretscans.Patterns {
			if p.Re.MatchString(tc.line) {
				got = append(got, p.Name)
			}
		}
		var want []string
		if tc.want != "" {
			want = []string{tc.want}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.line, diff)
		}
	}
}

func input() *gate.Input {
	return &gate.Input{
		Layers: []gate.Layer{{Index: 0}, {Index: 1}},
		History: []image.HistoryView{
			{CreatedBy: "ADD rootfs /", Layer: new(0)},
			{CreatedBy: "ENV GITHUB_TOKEN=ghp_" + strings.Repeat("b", 36)},
			{CreatedBy: "COPY . /app", Layer: new(1)},
		},
		Env: []string{"PATH=/bin", "GITHUB_TOKEN=ghp_" + strings.Repeat("b", 36)},
		FS: gatetest.FS{
			gatetest.Reg("/app/.env", 1, 0o644, "# config\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"),
			gatetest.Reg("/root/.ssh/id_ed25519", 0, 0o600, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"),
			gatetest.Reg("/usr/share/doc/x/example", 0, 0o644, "-----BEGIN RSA PRIVATE KEY-----\n"),
		},
	}
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name string
		args map[string]string
		want []string
	}{
		{"all", nil, []string{"AWS_SECRET_KEY+/app/.env@1", "PRIV_KEY+/root/.ssh/id_ed25519@0", "GITHUB_TOKEN+env:GITHUB_TOKEN@0"}},
		{"one pattern", map[string]string{"content_regex_name": "PRIV_KEY"}, []string{"PRIV_KEY+/root/.ssh/id_ed25519@0"}},
		{"file filter skips env", map[string]string{"filename_regex": `\.env$`}, []string{"AWS_SECRET_KEY+/app/.env@1"}},
		{"user regex", map[string]string{"regex": "config"}, []string{"USER_REGEX+/app/.env@1"}},
		{"notfound quiet", map[string]string{"match_type": "notfound"}, nil},
		{"notfound fires", map[string]string{"match_type": "notfound", "regex": "absent"}, []string{"notfound@-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, secretscans.New(), "content_regex_checks", tc.args, input()))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNeverRevealsSecret(t *testing.T) {
	for _, f := range gatetest.Run(t, secretscans.New(), "content_regex_checks", nil, input()) {
		for _, secret := range []string{"wJalrXUtnFEMI", "ghp_", "b3BlbnNzaC1"} {
			if strings.Contains(f.Detail, secret) || strings.Contains(f.ID, secret) {
				t.Errorf("fire %+v reveals %q", f, secret)
			}
		}
		if !strings.Contains(f.Detail, "line ") && !strings.HasPrefix(f.Detail, "ENV ") {
			t.Errorf("detail %q names no line", f.Detail)
		}
	}
}

func TestHiddenLayer(t *testing.T) {
	in := input()
	deleted := gatetest.Reg("/app/deploy.pem", 0, 0o600, "-----BEGIN EC PRIVATE KEY-----\n")
	deleted.Hidden = true
	in.FS = append(in.FS.(gatetest.FS), deleted)
	fires := gatetest.Run(t, secretscans.New(), "content_regex_checks", map[string]string{"content_regex_name": "PRIV_KEY"}, in)
	var got []string
	for _, f := range fires {
		got = append(got, f.Detail)
	}
	want := []string{"/root/.ssh/id_ed25519 line 1: PRIV_KEY",
		"/app/deploy.pem line 1: PRIV_KEY (deleted or replaced by a later layer, still shipped in this one)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
