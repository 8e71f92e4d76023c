package main

import (
	"archive/tar"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/evaluate")

const evalStatus = `Package: passwd
Status: install ok installed
Architecture: amd64
Source: shadow
Version: 1:4.13+dfsg1-1

Package: openssh-server
Status: install ok installed
Architecture: amd64
Source: openssh
Version: 1:9.2p1-2+deb12u3

`

// evalFixture writes an image with exactly the defects a policy must catch:
// no USER (root), EXPOSE 22, an ssh server package, a setuid binary, a GPL
// package, a private key file, an AWS key in ENV, and a vulnerable npm package
// only in the application layer. It returns the image reference and --db-dir.
func evalFixture(t *testing.T) (ref, dbDir string) {
	t.Helper()
	im := evalImage()
	img, err := im.Build()
	if err != nil {
		t.Fatal(err)
	}
	return writeScanFixture(t, img)
}

// writeImage writes an image as an OCI layout and returns its reference.
func writeImage(t *testing.T, im imagetest.Image) string {
	t.Helper()
	img, err := im.Build()
	if err != nil {
		t.Fatal(err)
	}
	layout := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(layout, imagetest.Tagged{Image: img}); err != nil {
		t.Fatal(err)
	}
	return "oci-dir:" + layout
}

func evalImage() imagetest.Image {
	return imagetest.Image{
		Config: v1.Config{
			ExposedPorts: map[string]struct{}{"22/tcp": {}, "8080/tcp": {}},
			Env:          []string{"PATH=/usr/bin:/bin", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"},
		},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
				imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
				imagetest.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n"),
				imagetest.File("var/lib/dpkg/status", evalStatus),
				{Path: "usr/bin/su", Type: tar.TypeReg, Mode: 0o4755, Content: []byte("\x7fELF")},
			}},
			{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{
				imagetest.File("app/package.json", `{"name":"app","version":"1.0.0","dependencies":{"lodash":"4.17.4"}}`),
				imagetest.File("app/node_modules/lodash/package.json", `{"name":"lodash","version":"4.17.4","license":"MIT"}`),
				imagetest.File("app/node_modules/copyleft/package.json", `{"name":"copyleft","version":"2.0.0","license":"GPL-3.0-only"}`),
				imagetest.File("app/.ssh/id_rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"),
				imagetest.File("app/notes.txt", "nothing here\nTODO: rotate keys\n"),
			}},
		},
		EmptyHistory: []v1.History{{CreatedBy: "/bin/sh -c #(nop)  EXPOSE 22/tcp 8080/tcp"}, {CreatedBy: "/bin/sh -c #(nop)  ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"}},
	}
}

func bundlePath(name string) string {
	return filepath.Join("..", "..", "internal", "policy", "testdata", name)
}

// TestEvaluateGolden evaluates the fixture against Anchore-format bundles and
// compares the table with testdata/evaluate/<name>.golden (-update rewrites).
func TestEvaluateGolden(t *testing.T) {
	ref, dbDir := evalFixture(t)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"default", nil, exitFail},
		{"all-gates", []string{"--policy", bundlePath("all-gates.json")}, exitFail},
		{"unmapped", []string{"--policy", bundlePath("all-gates.json"), "--tag", "registry.example/other/app:1"}, exitPass},
		{"layers-base", []string{"--policy", bundlePath("layers-base.json"), "--base-layers", "1"}, exitPass},
		{"layers-application", []string{"--policy", bundlePath("layers-application.json"), "--base-layers", "1"}, exitFail},
		{"native", []string{"--policy", bundlePath("native.yaml"), "--base-layers", "1"}, exitFail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"evaluate", ref, "--db-dir", dbDir, "--tag", "docker.io/example/app:1.0"}, tc.args...)
			out, stderr, code := run(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s\n%s", code, tc.code, stderr, out)
			}
			golden := filepath.Join("testdata", "evaluate", tc.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), out); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
		})
	}
}

type evalJSON struct {
	FinalAction string
	Reason      string
	Results     []struct {
		Gate, Trigger, TriggerID, Action, Detail, DiffID, CreatedBy string
		Layer                                                       int
		Whitelisted                                                 bool
	}
}

func TestEvaluateJSON(t *testing.T) {
	ref, dbDir := evalFixture(t)
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--tag", "example/app:1.0", "--policy", bundlePath("all-gates.json"), "-o", "json")
	if code != exitFail {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ev evalJSON
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if ev.FinalAction != "STOP" || ev.Reason != "policy_evaluation" {
		t.Errorf("final %s (%s), want STOP (policy_evaluation)", ev.FinalAction, ev.Reason)
	}
	got := map[string]bool{}
	for _, r := range ev.Results {
		got[r.Gate+"/"+r.Trigger] = true
		if strings.Contains(r.Detail, "AKIAIOSFODNN7EXAMPLE") || strings.Contains(r.Detail, "MIIEpAIBAAKCAQEA") {
			t.Errorf("result reveals a secret: %s", r.Detail)
		}
		if r.Layer >= 0 && (r.DiffID == "" || r.CreatedBy == "") {
			t.Errorf("%s/%s %s: layer %d without diffID or created_by", r.Gate, r.Trigger, r.TriggerID, r.Layer)
		}
	}
	for _, want := range []string{"always/always", "dockerfile/exposed_ports", "dockerfile/effective_user", "dockerfile/instruction",
		"dockerfile/no_dockerfile_provided", "metadata/attribute", "vulnerabilities/package", "vulnerabilities/blacklist",
		"packages/blacklist", "packages/required_package", "licenses/blacklist_partial_match", "licenses/blacklist_exact_match",
		"files/suid_or_guid_set", "files/name_match", "files/attribute_match", "files/content_regex_match", "passwd_file/blacklist_usernames",
		"passwd_file/blacklist_shells", "secret_scans/content_regex_checks"} {
		if !got[want] {
			t.Errorf("no result from %s", want)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	ref, dbDir := evalFixture(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"id":"b","version":"1_0","policies":[{"id":"p","rules":[{"gate":"dockerfile","trigger":"exposed_ports","action":"STOP","params":[{"name":"ports","value":"22"}]}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"--policy", "nope.json"}, "read policy"},
		{"bad rule", []string{"--policy", bad}, "bad.json:1: policies[0].rules[0]: dockerfile/exposed_ports: param type is required"},
		{"unknown base", []string{"--policy", bundlePath("layers-base.json")}, "give --base IMAGE or --base-layers N"},
		{"bad output", []string{"-o", "xml"}, `output format "xml" is not supported`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, append([]string{"evaluate", ref, "--db-dir", dbDir}, tc.args...)...)
			if code != exitError || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

func TestEvaluateBaseImage(t *testing.T) {
	ref, dbDir := evalFixture(t)
	im := evalImage()
	base := writeImage(t, imagetest.Image{Layers: im.Layers[:1]})
	other := writeImage(t, imagetest.Image{Layers: im.Layers[1:]})
	tests := []struct {
		name, bundle, base string
		code               int
		stderr             string
	}{
		{"base layers pass", "layers-base.json", base, exitPass, ""},
		{"application layers fail", "layers-application.json", base, exitFail, ""},
		{"not the base", "layers-base.json", other, exitError, "is not the image's base"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundlePath(tc.bundle), "--base", tc.base)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}

func TestEvaluateSBOM(t *testing.T) {
	ref, dbDir := evalFixture(t)
	doc := filepath.Join(t.TempDir(), "sbom.json")
	if _, stderr, code := run(t, "sbom", ref, "-o", "json="+doc); code != 0 {
		t.Fatalf("sbom: exit %d: %s", code, stderr)
	}
	out, stderr, code := run(t, "evaluate", "sbom:"+doc, "--db-dir", dbDir, "--tag", "example/app:1", "-o", "json")
	if code != exitPass {
		t.Fatalf("exit %d, want 0 (only WARN results without the image configuration): %s", code, stderr)
	}
	var ev evalJSON
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range ev.Results {
		got = append(got, r.Gate+"/"+r.TriggerID+"@"+fmt.Sprint(r.Layer))
	}
	want := []string{"vulnerabilities/CVE-2018-16487+lodash@1", "vulnerabilities/CVE-2018-3721+lodash@1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if ev.FinalAction != "WARN" || !strings.Contains(stderr, "evaluating an SBOM") {
		t.Errorf("final %s, stderr %q", ev.FinalAction, stderr)
	}
}

// TestEvaluateDeletedSecret: a key added in one layer and deleted in the next
// still ships in the image; the secret scan reports it with its layer.
func TestEvaluateDeletedSecret(t *testing.T) {
	_, dbDir := evalFixture(t)
	ref := writeImage(t, imagetest.Image{
		Config: v1.Config{User: "app"},
		Layers: []imagetest.Layer{
			{CreatedBy: "COPY deploy.pem /app/", Entries: []imagetest.Entry{
				imagetest.File("app/deploy.pem", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n"),
			}},
			{CreatedBy: "RUN rm /app/deploy.pem", Entries: []imagetest.Entry{imagetest.Whiteout("app/deploy.pem")}},
		},
	})
	bundle := filepath.Join(t.TempDir(), "secrets.json")
	if err := os.WriteFile(bundle, []byte(`{"id":"s","version":"1_0","policies":[{"id":"p","rules":[
		{"gate":"secret_scans","trigger":"content_regex_checks","action":"STOP"}]}],
		"mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"p"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle, "-o", "json")
	if code != exitFail {
		t.Fatalf("exit %d, want 1: %s\n%s", code, stderr, out)
	}
	var ev evalJSON
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Results) != 1 || ev.Results[0].Layer != 0 || ev.Results[0].CreatedBy != "COPY deploy.pem /app/" ||
		!strings.Contains(ev.Results[0].Detail, "deleted or replaced by a later layer") {
		t.Errorf("results %+v", ev.Results)
	}
}

// TestEvaluateDockerfile: a real Dockerfile whose FROM fails an approved-base
// regex, checked only on the real Dockerfile.
func TestEvaluateDockerfile(t *testing.T) {
	ref, dbDir := evalFixture(t)
	dir := t.TempDir()
	dockerfile := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(dockerfile, []byte("# syntax=docker/dockerfile:1\nFROM docker.io/library/debian:12 AS build\nRUN apt-get update && \\\n    apt-get install -y openssh-server\nEXPOSE 22\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "approved.json")
	if err := os.WriteFile(bundle, []byte(`{"id":"a","version":"1_0","policies":[{"id":"p","rules":[
		{"gate":"dockerfile","trigger":"instruction","action":"STOP","params":[{"name":"instruction","value":"FROM"},
		 {"name":"check","value":"not_like"},{"name":"value","value":"^registry\\.example\\.com/approved/"},{"name":"actual_dockerfile_only","value":"true"}]},
		{"gate":"dockerfile","trigger":"no_dockerfile_provided","action":"WARN"}]}],
		"mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"p"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle, "--dockerfile", dockerfile, "-o", "json")
	if code != exitFail {
		t.Fatalf("exit %d, want 1: %s\n%s", code, stderr, out)
	}
	var ev evalJSON
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Results) != 1 || ev.Results[0].TriggerID != "FROM docker.io/library/debian:12 AS build" {
		t.Errorf("results %+v", ev.Results)
	}
	_, _, code = run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle)
	if code != exitPass {
		t.Errorf("without --dockerfile: exit %d, want 0 (actual_dockerfile_only skips; no_dockerfile_provided warns)", code)
	}
	bad := filepath.Join(dir, "Bad.Dockerfile")
	if err := os.WriteFile(bad, []byte("# escape=x\nFROM debian:12\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle, "--dockerfile", bad); code != exitError || !strings.Contains(stderr, "--dockerfile "+bad+": parse Dockerfile:") {
		t.Errorf("a Dockerfile buildkit rejects: exit %d, stderr %q; want exit 2 naming the file", code, stderr)
	}
}

func TestIdentify(t *testing.T) {
	tests := []struct {
		name, tag, ref string
		tags           []string
		want           gate.Identity
	}{
		{"--tag wins", "quay.io/team/app:2", "registry:docker.io/x/y:1", []string{"a/b:c"}, gate.Identity{Registry: "quay.io", Repository: "team/app", Tag: "2"}},
		{"registry reference", "", "registry:nginx:1.25", nil, gate.Identity{Registry: "docker.io", Repository: "library/nginx", Tag: "1.25"}},
		{"bare registry reference", "", "ghcr.io/o/r:v1", nil, gate.Identity{Registry: "ghcr.io", Repository: "o/r", Tag: "v1"}},
		{"archive tags", "", "docker-archive:app.tar", []string{"example/app:1.0"}, gate.Identity{Registry: "docker.io", Repository: "example/app", Tag: "1.0"}},
		{"layout bare tag", "", "oci-dir:layout", []string{"1.0"}, gate.Identity{Tag: "1.0"}},
		{"nothing", "", "oci-dir:layout", nil, gate.Identity{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got gate.Identity
			identify(&got, tc.tag, tc.ref, tc.tags)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEvaluateVerify: dpkg verification through the real layer walk, on a
// merged-/usr image whose md5sums name /bin paths behind the /bin symlink and
// whose dpkg configuration excludes documentation.
func TestEvaluateVerify(t *testing.T) {
	_, dbDir := evalFixture(t)
	sums := "d41d8cd98f00b204e9800998ecf8427e  bin/true\n" + // md5 of ""
		"d41d8cd98f00b204e9800998ecf8427e  usr/bin/removed\n" +
		"d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/coreutils/README\n"
	ref := writeImage(t, imagetest.Image{
		Config: v1.Config{User: "app"},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
				imagetest.Symlink("bin", "usr/bin"),
				imagetest.File("usr/bin/true", ""),
				imagetest.File("usr/bin/removed", ""),
				imagetest.File("var/lib/dpkg/info/coreutils.md5sums", sums),
				imagetest.File("etc/dpkg/dpkg.cfg.d/docker", "path-exclude /usr/share/doc/*\n"),
			}},
			{CreatedBy: "RUN rm /usr/bin/removed", Entries: []imagetest.Entry{imagetest.Whiteout("usr/bin/removed")}},
		},
	})
	bundle := filepath.Join(t.TempDir(), "verify.json")
	if err := os.WriteFile(bundle, []byte(`{"id":"v","version":"1_0","policies":[{"id":"p","rules":[
		{"gate":"packages","trigger":"verify","action":"STOP","params":[{"name":"check","value":"missing"}]}]}],
		"mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"p"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle, "-o", "json")
	if code != exitFail {
		t.Fatalf("exit %d, want 1: %s\n%s", code, stderr, out)
	}
	var ev evalJSON
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range ev.Results {
		got = append(got, r.TriggerID)
	}
	if diff := cmp.Diff([]string{"coreutils:/usr/bin/removed"}, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// TestEvaluateMaxDaysSinceCreation: publication dates come from the advisory
// records, so a vulnerability published recently enough does not fire.
func TestEvaluateMaxDaysSinceCreation(t *testing.T) {
	ref, dbDir := evalFixture(t)
	bundle := filepath.Join(t.TempDir(), "age.json")
	rule := func(days string) string {
		return `{"id":"a","version":"1_0","policies":[{"id":"p","rules":[
		{"gate":"vulnerabilities","trigger":"package","action":"STOP","params":[{"name":"package_type","value":"non-os"},{"name":"max_days_since_creation","value":"` + days + `"}]}]}],
		"mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"p"}]}`
	}
	for days, want := range map[string]int{"30": exitFail, "100000": exitPass} {
		if err := os.WriteFile(bundle, []byte(rule(days)), 0o600); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := run(t, "evaluate", ref, "--db-dir", dbDir, "--policy", bundle)
		if code != want {
			t.Errorf("max_days_since_creation %s: exit %d, want %d\n%s%s", days, code, want, stderr, out)
		}
	}
}
