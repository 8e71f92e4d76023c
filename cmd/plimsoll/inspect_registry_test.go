package main

// `plimsoll inspect` against a real registry: Debian's docker-registry
// (distribution 2.8) with htpasswd basic auth on a loopback port, started here
// (the same setup as internal/image/registry_real_test.go, which package main
// cannot import). Skipped, saying what to install, when it is missing.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/registrytest"
)

// regSilent returns the address of a server that accepts connections and
// never answers, as a registry behind a black-holing firewall would.
func regSilent(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				break
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return l.Addr().String()
}

// regImage builds a two-layer image for arch whose os-release names id and version.
func regImage(t *testing.T, arch, id, version string) v1.Image {
	t.Helper()
	img, err := imagetest.Image{
		Platform: v1.Platform{OS: "linux", Architecture: arch},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
				imagetest.Dir("etc"), imagetest.File("etc/os-release", fmt.Sprintf("ID=%s\nVERSION_ID=%s\n", id, version)),
			}},
			{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{imagetest.Dir("app"), imagetest.File("app/run", arch)}},
		},
		Config: v1.Config{Cmd: []string{"/app/run"}},
	}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// regInspect runs plimsoll with args as main does and returns stdout, the
// error and the exit code.
func regInspect(ctx context.Context, args ...string) (string, error, int) {
	var out, stderr bytes.Buffer
	cmd := newRootCommand()
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&stderr)
	err := cmd.ExecuteContext(ctx)
	return out.String(), err, exitCode(err)
}

// regReport is what the test reads of `inspect -o json`.
type regReport struct {
	Image struct {
		ManifestDigest string
		RepoDigests    []string
		Platform       struct{ Architecture string }
	}
	Layers []struct{ Digest, DiffID string }
	Distro struct{ ID, VersionID string }
}

// regClearEnv keeps a developer's own credentials and settings out: DOCKER_CONFIG
// holds credentials for another host only (so the podman fallbacks are not
// consulted either), and the PLIMSOLL_* variables the command reads are unset.
func regClearEnv(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", registrytest.DockerConfig(t, "registry.invalid"))
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "PLIMSOLL_") && !strings.HasPrefix(k, "PLIMSOLL_TEST_") {
			t.Setenv(k, "") // restores the value when the test ends
			os.Unsetenv(k)
		}
	}
}

func TestInspectRegistry(t *testing.T) {
	host := registrytest.Start(t)
	regClearEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	auth := remote.WithAuth(&authn.Basic{Username: registrytest.User, Password: registrytest.Password})
	app, arm := regImage(t, "amd64", "debian", "12"), regImage(t, "arm64", "alpine", "3.19.1")
	idx, err := imagetest.Index(app, arm)
	if err != nil {
		t.Fatal(err)
	}
	repo, multi := host+"/plimsoll/app", host+"/plimsoll/multi"
	if err := imagetest.Push(ctx, repo+":1.0", app, auth); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.PushIndex(ctx, multi+":1", idx, auth); err != nil {
		t.Fatal(err)
	}
	appDigest, idxDigest := regDigest(t, app), regDigest(t, idx)
	creds := []string{"--username", registrytest.User, "--password", registrytest.Password}
	closed, silent := registrytest.FreeAddr(t), regSilent(t)

	tests := []struct {
		name         string
		args         []string
		env          map[string]string
		want         *regReport // nil for a failure
		wantIs       error
		wantInErr    []string
		dockerConfig bool
	}{
		{name: "tag", args: append([]string{repo + ":1.0"}, creds...), want: regWant(t, repo, app, "", "debian", "12")},
		{name: "digest and insecure-registry", args: append([]string{repo + "@" + appDigest, "--insecure-registry", host}, creds...), want: regWant(t, repo, app, "", "debian", "12")},
		{name: "index platform", args: append([]string{multi + ":1", "--platform", "linux/arm64"}, creds...), want: regWant(t, multi, arm, idxDigest, "alpine", "3.19.1")},
		{name: "environment credentials", args: []string{"registry:" + repo + ":1.0"}, env: map[string]string{"PLIMSOLL_REGISTRY_USERNAME": registrytest.User, "PLIMSOLL_REGISTRY_PASSWORD": registrytest.Password}, want: regWant(t, repo, app, "", "debian", "12")},
		{name: "docker config", args: []string{repo + ":1.0"}, dockerConfig: true, want: regWant(t, repo, app, "", "debian", "12")},
		{name: "bad password", args: []string{repo + ":1.0", "--username", registrytest.User, "--password", "wrong"}, wantIs: image.ErrUnauthorized, wantInErr: []string{"--username/--password"}},
		{name: "no credentials", args: []string{repo + "@" + appDigest}, wantIs: image.ErrUnauthorized, wantInErr: []string{"--username/--password"}},
		{name: "absent platform", args: append([]string{multi + ":1", "--platform", "linux/s390x"}, creds...), wantInErr: []string{"--platform", "linux/amd64", "linux/arm64"}},
		{name: "unreachable", args: append([]string{closed + "/plimsoll/app:1.0", "--insecure-registry", closed, "--registry-timeout", "2s", "--registry-retries", "0"}, creds...), wantInErr: []string{"unreachable", closed}},
		{name: "silent registry times out", args: append([]string{silent + "/plimsoll/app:1.0", "--insecure-registry", silent, "--registry-timeout", "300ms", "--registry-retries", "0"}, creds...), wantInErr: []string{"unreachable", silent, "timeout"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.dockerConfig {
				t.Setenv("DOCKER_CONFIG", registrytest.DockerConfig(t, host))
			}
			out, err, code := regInspect(ctx, append([]string{"inspect", "-o", "json"}, tc.args...)...)
			t.Logf("err: %v", err)
			if tc.want == nil {
				regCheckFailure(t, err, code, tc.wantIs, tc.wantInErr)
				return
			}
			if code != exitPass {
				t.Fatalf("exit %d, want %d: %v", code, exitPass, err)
			}
			var got regReport
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("decode report: %v\n%s", err, out)
			}
			if diff := cmp.Diff(*tc.want, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}
}

func regCheckFailure(t *testing.T, err error, code int, wantIs error, wantIn []string) {
	t.Helper()
	if code != exitError {
		t.Fatalf("exit %d, want %d (error: %v)", code, exitError, err)
	}
	if wantIs != nil && !errors.Is(err, wantIs) {
		t.Errorf("error %q is not %q", err, wantIs)
	}
	if wantIs == nil && errors.Is(err, image.ErrUnauthorized) {
		t.Errorf("error %q is %q", err, image.ErrUnauthorized)
	}
	for _, s := range wantIn {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

func regDigest(t *testing.T, d interface{ Digest() (v1.Hash, error) }) string {
	t.Helper()
	h, err := d.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// regWant is the report for img pushed to repo, picked from the index with
// digest index when that is not empty.
func regWant(t *testing.T, repo string, img v1.Image, index, id, version string) *regReport {
	t.Helper()
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	var r regReport
	r.Image.ManifestDigest = regDigest(t, img)
	r.Image.RepoDigests = []string{repo + "@" + r.Image.ManifestDigest}
	if index != "" {
		r.Image.RepoDigests = append(r.Image.RepoDigests, repo+"@"+index)
	}
	r.Image.Platform.Architecture = cf.Architecture
	for i, l := range m.Layers {
		r.Layers = append(r.Layers, struct{ Digest, DiffID string }{l.Digest.String(), cf.RootFS.DiffIDs[i].String()})
	}
	r.Distro.ID, r.Distro.VersionID = id, version
	return &r
}
