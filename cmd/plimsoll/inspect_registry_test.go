package main

// `plimsoll inspect` against a real registry: Debian's docker-registry
// (distribution 2.8) with htpasswd basic auth on a loopback port, started here
// (the same setup as internal/image/registry_real_test.go, which package main
// cannot import). Skipped, saying what to install, when it is missing.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
)

const (
	regUser        = "plimsoll"
	regPassword    = "s3cret-pa55"
	regInstallHint = "apt-get install docker-registry apache2-utils"
)

// regBinary finds docker-registry (PLIMSOLL_TEST_REGISTRY_BIN, PATH,
// /usr/bin) and htpasswd, or skips the test naming what to install.
func regBinary(t *testing.T) (registry, htpasswd string) {
	t.Helper()
	switch p := os.Getenv("PLIMSOLL_TEST_REGISTRY_BIN"); {
	case p != "":
		if _, err := os.Stat(p); err != nil {
			t.Skipf("PLIMSOLL_TEST_REGISTRY_BIN=%s does not exist; install it with `%s`", p, regInstallHint)
		}
		registry = p
	default:
		if registry, _ = exec.LookPath("docker-registry"); registry == "" {
			if _, err := os.Stat("/usr/bin/docker-registry"); err != nil {
				t.Skipf("docker-registry (distribution 2.8) not found (PLIMSOLL_TEST_REGISTRY_BIN, PATH, /usr/bin); install it with `%s`", regInstallHint)
			}
			registry = "/usr/bin/docker-registry"
		}
	}
	htpasswd, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skipf("htpasswd not found to make a bcrypt password file; install it with `%s`", regInstallHint)
	}
	return registry, htpasswd
}

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

// regFreeAddr returns a loopback address nothing listens on (any more).
func regFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

const regConfig = `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
http:
  addr: %s
auth:
  htpasswd:
    realm: plimsoll-test
    path: %s
`

// startRegistry starts docker-registry with htpasswd auth on a free loopback
// port, waits until /v2/ answers 401, and stops it when the test ends.
func startRegistry(t *testing.T) string {
	t.Helper()
	bin, htpasswdBin := regBinary(t)
	dir := t.TempDir()
	hash, err := exec.Command(htpasswdBin, "-Bbn", regUser, regPassword).Output()
	if err != nil {
		t.Fatalf("htpasswd -Bbn: %v", err)
	}
	htpasswd, cfg := filepath.Join(dir, "htpasswd"), filepath.Join(dir, "config.yml")
	if err := os.WriteFile(htpasswd, hash, 0o600); err != nil {
		t.Fatal(err)
	}
	var lastErr error
	for range 3 { // the port may be taken between choosing and binding it
		addr := regFreeAddr(t)
		body := fmt.Sprintf(regConfig, filepath.Join(dir, "storage"), addr, htpasswd)
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if lastErr = regRun(t, bin, cfg, addr); lastErr == nil {
			return addr
		}
	}
	t.Fatalf("start %s: %v", bin, lastErr)
	return ""
}

// regOutput collects the registry's output while it runs.
type regOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *regOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *regOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

func regRun(t *testing.T, bin, cfg, addr string) error {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", cfg)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	var out regOutput
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if err := regWait(done, "http://"+addr+"/v2/"); err != nil {
		cancel()
		<-done
		return fmt.Errorf("%w; output:\n%s", err, out.String())
	}
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("docker-registry output:\n%s", out.String())
		}
	})
	return nil
}

// regWait polls url until it answers 401, the process exits, or 15 s pass.
func regWait(exited <-chan error, url string) error {
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-exited:
			return fmt.Errorf("registry exited before it was ready: %v", err)
		default:
		}
		resp, err := client.Get(url)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			return fmt.Errorf("GET %s: status %d, want 401 (is auth configured?)", url, resp.StatusCode)
		}
		return nil
	}
	return fmt.Errorf("GET %s: no answer within 15s", url)
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

// regDockerConfig writes a docker config.json with the test credentials for
// host into a new directory and returns the directory.
func regDockerConfig(t *testing.T, host string) string {
	t.Helper()
	dir := t.TempDir()
	token := base64.StdEncoding.EncodeToString([]byte(regUser + ":" + regPassword))
	body := fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, host, token)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
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
	t.Setenv("DOCKER_CONFIG", regDockerConfig(t, "registry.invalid"))
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "PLIMSOLL_") && !strings.HasPrefix(k, "PLIMSOLL_TEST_") {
			t.Setenv(k, "") // restores the value when the test ends
			os.Unsetenv(k)
		}
	}
}

func TestInspectRegistry(t *testing.T) {
	host := startRegistry(t)
	regClearEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	auth := remote.WithAuth(&authn.Basic{Username: regUser, Password: regPassword})
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
	creds := []string{"--username", regUser, "--password", regPassword}
	closed, silent := regFreeAddr(t), regSilent(t)

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
		{name: "environment credentials", args: []string{"registry:" + repo + ":1.0"}, env: map[string]string{"PLIMSOLL_REGISTRY_USERNAME": regUser, "PLIMSOLL_REGISTRY_PASSWORD": regPassword}, want: regWant(t, repo, app, "", "debian", "12")},
		{name: "docker config", args: []string{repo + ":1.0"}, dockerConfig: true, want: regWant(t, repo, app, "", "debian", "12")},
		{name: "bad password", args: []string{repo + ":1.0", "--username", regUser, "--password", "wrong"}, wantIs: image.ErrUnauthorized, wantInErr: []string{"--username/--password"}},
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
				t.Setenv("DOCKER_CONFIG", regDockerConfig(t, host))
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
