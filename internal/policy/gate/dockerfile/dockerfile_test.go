package dockerfile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/dockerfile"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
)

func intp(i int) *int { return &i }

// input is a two-layer image: a base ADD, then USER, EXPOSE, a COPY layer and
// a HEALTHCHECK-less end.
func input(user string, ports ...string) *gate.Input {
	return &gate.Input{
		Layers: []gate.Layer{{Index: 0}, {Index: 1}},
		History: []image.HistoryView{
			{CreatedBy: "/bin/sh -c #(nop) ADD file:abc in / ", Layer: intp(0)},
			{CreatedBy: "/bin/sh -c #(nop)  USER " + user},
			{CreatedBy: "/bin/sh -c #(nop)  EXPOSE 22/tcp"},
			{CreatedBy: "COPY app /app # buildkit", Layer: intp(1)},
			{CreatedBy: "/bin/sh -c apt-get install -y \\\n curl"},
			{CreatedBy: "/bin/sh -c #(nop)  EXPOSE 8080"},
		},
		Config: &image.ConfigView{User: user, ExposedPorts: ports},
	}
}

func TestInstruction(t *testing.T) {
	tests := []struct {
		name string
		args map[string]string
		want []string
	}{
		{"exists", map[string]string{"instruction": "EXPOSE", "check": "exists"}, []string{"EXPOSE 22/tcp@0", "EXPOSE 8080@1"}},
		{"lower-case instruction", map[string]string{"instruction": "expose", "check": "exists"}, []string{"EXPOSE 22/tcp@0", "EXPOSE 8080@1"}},
		{"not_exists fires", map[string]string{"instruction": "HEALTHCHECK", "check": "not_exists"}, []string{"HEALTHCHECK@1"}},
		{"not_exists quiet", map[string]string{"instruction": "USER", "check": "not_exists"}, nil},
		{"=", map[string]string{"instruction": "COPY", "check": "=", "value": "app /app"}, []string{"COPY app /app@1"}},
		{"!=", map[string]string{"instruction": "EXPOSE", "check": "!=", "value": "8080"}, []string{"EXPOSE 22/tcp@0"}},
		{"like", map[string]string{"instruction": "RUN", "check": "like", "value": "apt-get.*curl"}, []string{"RUN apt-get install -y  curl@1"}},
		{"not_like", map[string]string{"instruction": "ADD", "check": "not_like", "value": "^https://"}, []string{"ADD file:abc in /@0"}},
		{"in", map[string]string{"instruction": "USER", "check": "in", "value": "root, 0"}, []string{"USER root@0"}},
		{"not_in", map[string]string{"instruction": "USER", "check": "not_in", "value": "app"}, []string{"USER root@0"}},
		{"actual only", map[string]string{"instruction": "USER", "check": "exists", "actual_dockerfile_only": "true"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, dockerfile.New(), "instruction", tc.args, input("root")))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHealthcheckFromConfig(t *testing.T) {
	in := input("app")
	in.Config.Healthcheck = []string{"CMD", "true"}
	if got := gatetest.Run(t, dockerfile.New(), "instruction", map[string]string{"instruction": "HEALTHCHECK", "check": "not_exists"}, in); len(got) != 0 {
		t.Errorf("fired %v for an image whose configuration has a healthcheck", got)
	}
}

func TestActualDockerfile(t *testing.T) {
	in := &gate.Input{Layers: []gate.Layer{{Index: 0}}, DockerfileActual: true,
		Dockerfile: "# syntax\nFROM debian:12\nRUN apt-get update && \\\n    apt-get install -y ssh\nUSER app\n"}
	got := gatetest.IDs(gatetest.Run(t, dockerfile.New(), "instruction",
		map[string]string{"instruction": "FROM", "check": "not_like", "value": "^registry.example/", "actual_dockerfile_only": "true"}, in))
	if diff := cmp.Diff([]string{"FROM debian:12@-"}, got); diff != "" { // no history: layer unknown
		t.Errorf("fires (-want +got):\n%s", diff)
	}
	got = gatetest.IDs(gatetest.Run(t, dockerfile.New(), "instruction", map[string]string{"instruction": "RUN", "check": "like", "value": "install -y ssh"}, in))
	if diff := cmp.Diff([]string{"RUN apt-get update &&     apt-get install -y ssh@-"}, got); diff != "" {
		t.Errorf("continuation (-want +got):\n%s", diff)
	}
	if got := gatetest.Run(t, dockerfile.New(), "no_dockerfile_provided", nil, in); len(got) != 0 {
		t.Errorf("no_dockerfile_provided fired with a real Dockerfile: %v", got)
	}
}

// TestActualDockerfileBuildkit: a real Dockerfile is read as docker build
// reads it: parser directives, heredocs, JSON forms, lower-case keywords. The
// inputs have no history, so no instruction has a layer.
func TestActualDockerfileBuildkit(t *testing.T) {
	tests := []struct {
		name, text, instr, check, value string
		want                            []string
	}{
		{"escape directive", "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\n", "RUN", "exists", "", []string{"RUN dir   c:\\@-"}},
		{"heredoc body is read", "FROM debian\nRUN <<EOF\napt-get install -y openssh-server\nEOF\n", "RUN", "like", "openssh-server", []string{"RUN <<EOF\napt-get install -y openssh-server@-"}},
		{"json form as written", "FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n", "CMD", "=", `["nginx", "-g", "daemon off;"]`, []string{`CMD ["nginx", "-g", "daemon off;"]@-`}},
		{"lower-case keyword", "from debian\nexpose 22\n", "EXPOSE", "in", "22,2222", []string{"EXPOSE 22@-"}},
		{"comment inside continuation", "FROM debian\nRUN a \\\n# note\n  b\n", "RUN", "exists", "", []string{"RUN a   b@-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := dockerfile.Validate(tc.text); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			in := &gate.Input{Layers: []gate.Layer{{Index: 0}}, DockerfileActual: true, Dockerfile: tc.text}
			params := map[string]string{"instruction": tc.instr, "check": tc.check}
			if tc.value != "" {
				params["value"] = tc.value
			}
			got := gatetest.IDs(gatetest.Run(t, dockerfile.New(), "instruction", params, in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
	if err := dockerfile.Validate("# escape=x\nFROM debian\n"); err == nil {
		t.Error("Validate accepted an invalid escape directive")
	}
}

func TestEffectiveUser(t *testing.T) {
	tests := []struct {
		name, user, users, typ string
		want                   []string
	}{
		{"empty is root", "", "root", "blacklist", []string{"root@1"}},
		{"uid 0 is root", "0", "root", "denylist", []string{"root@0"}},
		{"root denied by uid", "root:root", "0", "blacklist", []string{"root@0"}},
		{"other user passes", "app", "root", "blacklist", nil},
		{"allowlist passes", "app", "app,nobody", "whitelist", nil},
		{"allowlist fails", "www", "app", "allowlist", []string{"www@0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(tc.user)
			if tc.user == "" {
				in.History = in.History[:1] // no USER step: the top layer
			}
			got := gatetest.IDs(gatetest.Run(t, dockerfile.New(), "effective_user", map[string]string{"users": tc.users, "type": tc.typ}, in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExposedPorts(t *testing.T) {
	in := input("app", "22/tcp", "8080/tcp")
	got := gatetest.IDs(gatetest.Run(t, dockerfile.New(), "exposed_ports", map[string]string{"ports": "22", "type": "blacklist"}, in))
	if diff := cmp.Diff([]string{"22@0"}, got); diff != "" {
		t.Errorf("deny (-want +got):\n%s", diff)
	}
	got = gatetest.IDs(gatetest.Run(t, dockerfile.New(), "exposed_ports", map[string]string{"ports": "80,8080/tcp", "type": "whitelist"}, in))
	if diff := cmp.Diff([]string{"22@0"}, got); diff != "" {
		t.Errorf("allow (-want +got):\n%s", diff)
	}
	in.Config = nil
	if got := gatetest.Run(t, dockerfile.New(), "exposed_ports", map[string]string{"ports": "22", "type": "blacklist"}, in); len(got) != 0 {
		t.Errorf("fired without a configuration: %v", got)
	}
}

func TestCompileErrors(t *testing.T) {
	tr := gatetest.Trigger(t, dockerfile.New(), "instruction")
	if _, err := gatetest.Compile(tr, map[string]string{"instruction": "RUN", "check": "like", "value": "("}); err == nil {
		t.Error("bad regexp accepted")
	}
	if _, err := gatetest.Compile(tr, map[string]string{"instruction": "RUN", "check": "="}); err == nil {
		t.Error("= without a value accepted")
	}
}
