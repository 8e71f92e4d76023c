package image_test

// An integration test against a real registry: Debian's docker-registry
// (distribution 2.8) with htpasswd basic auth on a loopback port, started here.
// It is skipped, saying what to install, when the registry or htpasswd is missing.

import (
	"bytes"
	"context"
	"encoding/base64"
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
	realUser        = "plimsoll"
	realPassword    = "s3cret-pa55"
	realInstallHint = "apt-get install docker-registry apache2-utils"
)

// realRegistry is a running docker-registry process.
type realRegistry struct {
	host string // 127.0.0.1:PORT
}

func (r *realRegistry) auth() remote.Option {
	return remote.WithAuth(&authn.Basic{Username: realUser, Password: realPassword})
}

// realRegistryBinary finds docker-registry: PLIMSOLL_TEST_REGISTRY_BIN, then PATH,
// then the Debian package's path; it skips the test when there is none.
func realRegistryBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PLIMSOLL_TEST_REGISTRY_BIN"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		t.Skipf("PLIMSOLL_TEST_REGISTRY_BIN=%s does not exist; install it with `%s`", p, realInstallHint)
	}
	if p, err := exec.LookPath("docker-registry"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/docker-registry"); err == nil {
		return "/usr/bin/docker-registry"
	}
	t.Skipf("docker-registry (distribution 2.8) not found (PLIMSOLL_TEST_REGISTRY_BIN, PATH, /usr/bin); install it with `%s`", realInstallHint)
	return ""
}

// writeRealHtpasswd writes a bcrypt htpasswd file with htpasswd -Bbn.
func writeRealHtpasswd(t *testing.T, dir string) string {
	t.Helper()
	bin, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skipf("htpasswd not found to make a bcrypt password file; install it with `%s`", realInstallHint)
	}
	out, err := exec.Command(bin, "-Bbn", realUser, realPassword).Output()
	if err != nil {
		t.Fatalf("htpasswd -Bbn: %v", err)
	}
	p := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// realFreeAddr returns a loopback address nothing listens on (any more).
func realFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

const realRegistryConfig = `version: 0.1
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

// startRealRegistry starts docker-registry with htpasswd auth on a free
// loopback port and stops it when the test ends. A port taken between choosing
// and binding it is retried with another.
func startRealRegistry(t *testing.T) *realRegistry {
	t.Helper()
	bin := realRegistryBinary(t)
	dir := t.TempDir()
	htpasswd := writeRealHtpasswd(t, dir)
	var lastErr error
	for range 3 {
		addr := realFreeAddr(t)
		cfg := filepath.Join(dir, "config.yml")
		body := fmt.Sprintf(realRegistryConfig, filepath.Join(dir, "storage"), addr, htpasswd)
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if lastErr = runRealRegistry(t, bin, cfg, addr); lastErr == nil {
			return &realRegistry{host: addr}
		}
	}
	t.Fatalf("start %s: %v", bin, lastErr)
	return nil
}

// realLogBuffer collects a process's output while it runs.
type realLogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *realLogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *realLogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runRealRegistry starts the process and waits until /v2/ answers 401; on success
// it registers the cleanup that stops it.
func runRealRegistry(t *testing.T, bin, cfg, addr string) error {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", cfg)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	var out realLogBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if err := waitRealRegistry(done, "http://"+addr+"/v2/"); err != nil {
		cancel()
		<-done
		return fmt.Errorf("%w; output:\n%s", err, out.String())
	}
	t.Cleanup(func() {
		cancel()
		<-done
		if s := out.String(); s != "" && t.Failed() {
			t.Logf("docker-registry output:\n%s", s)
		}
	})
	return nil
}

// waitRealRegistry polls url until it answers 401, the process exits, or 15 s pass.
func waitRealRegistry(exited <-chan error, url string) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("registry exited before it was ready: %v", err)
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				return nil
			}
			return fmt.Errorf("GET %s: status %d, want 401 (is auth configured?)", url, resp.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("GET %s: no answer within 15s", url)
}

// writeRealDockerConfig writes a docker config.json granting the test credentials
// for host into a new directory and returns the directory.
func writeRealDockerConfig(t *testing.T, host string) string {
	t.Helper()
	dir := t.TempDir()
	token := base64.StdEncoding.EncodeToString([]byte(realUser + ":" + realPassword))
	body := fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, host, token)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// realOSRelease returns the entries of a Debian-like os-release, /etc/os-release
// being a symlink into /usr/lib as in real images.
func realOSRelease(id, version, codename string) []imagetest.Entry {
	return []imagetest.Entry{
		imagetest.Dir("etc"),
		imagetest.Dir("usr"),
		imagetest.Dir("usr/lib"),
		imagetest.File("usr/lib/os-release", fmt.Sprintf("ID=%s\nVERSION_ID=%q\nVERSION_CODENAME=%s\n", id, version, codename)),
		imagetest.Symlink("etc/os-release", "../usr/lib/os-release"),
	}
}

// buildRealImage builds a two-layer image for platform with the given os-release.
func buildRealImage(t *testing.T, platform v1.Platform, id, version, codename string) v1.Image {
	t.Helper()
	img, err := imagetest.Image{
		Platform: platform,
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs.tar /", Entries: realOSRelease(id, version, codename)},
			{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{
				imagetest.Dir("app"),
				imagetest.File("app/run.sh", "#!/bin/sh\necho "+platform.Architecture+"\n"),
			}},
		},
		Config: v1.Config{User: "app", Cmd: []string{"/app/run.sh"}},
	}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func realDigest(t *testing.T, d interface{ Digest() (v1.Hash, error) }) string {
	t.Helper()
	h, err := d.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// realIdentity is what the test checks of an inspection.
type realIdentity struct {
	ManifestDigest string
	IndexDigest    string
	RepoDigests    []string
	Platform       string
	Layers         [][2]string // digest, diffID
	Distro         [3]string   // ID, VERSION_ID, VERSION_CODENAME
}

// wantRealIdentity is what inspecting img, realFixtures to repo, must report.
func wantRealIdentity(t *testing.T, repo string, img v1.Image, index string) realIdentity {
	t.Helper()
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	id := realIdentity{ManifestDigest: realDigest(t, img), IndexDigest: index, Platform: cf.OS + "/" + cf.Architecture}
	id.RepoDigests = []string{repo + "@" + id.ManifestDigest}
	if index != "" {
		id.RepoDigests = append(id.RepoDigests, repo+"@"+index)
	}
	for i, l := range m.Layers {
		id.Layers = append(id.Layers, [2]string{l.Digest.String(), cf.RootFS.DiffIDs[i].String()})
	}
	return id
}

func gotRealIdentity(in *image.Inspection) realIdentity {
	id := realIdentity{ManifestDigest: in.Image.ManifestDigest, IndexDigest: in.Image.IndexDigest, RepoDigests: in.Image.RepoDigests}
	if p := in.Image.Platform; p != nil {
		id.Platform = p.OS + "/" + p.Architecture
	}
	for _, l := range in.Layers {
		id.Layers = append(id.Layers, [2]string{l.Digest, l.DiffID})
	}
	if d := in.Distro; d != nil {
		id.Distro = [3]string{d.ID, d.VersionID, d.Codename}
	}
	return id
}

func inspectReal(ctx context.Context, ref string, o image.Options) (*image.Inspection, error) {
	im, err := image.Open(ctx, ref, o)
	if err != nil {
		return nil, err
	}
	defer im.Close()
	return image.Inspect(ctx, im, image.InspectOptions{})
}

// realFixtures is what TestRealRegistry realFixtures.
type realFixtures struct {
	app, amd64, arm64 v1.Image
	index             v1.ImageIndex
	appRepo, multiRep string
}

func pushRealFixtures(ctx context.Context, t *testing.T, reg *realRegistry) realFixtures {
	t.Helper()
	p := realFixtures{
		app:      buildRealImage(t, v1.Platform{OS: "linux", Architecture: "amd64"}, "debian", "12", "bookworm"),
		amd64:    buildRealImage(t, v1.Platform{OS: "linux", Architecture: "amd64"}, "alpine", "3.19.1", ""),
		arm64:    buildRealImage(t, v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, "ubuntu", "24.04", "noble"),
		appRepo:  reg.host + "/plimsoll/app",
		multiRep: reg.host + "/plimsoll/multi",
	}
	idx, err := imagetest.Index(p.amd64, p.arm64)
	if err != nil {
		t.Fatal(err)
	}
	p.index = idx
	if err := imagetest.Push(ctx, p.appRepo+":1.0", p.app, reg.auth()); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.PushIndex(ctx, p.multiRep+":1", idx, reg.auth()); err != nil {
		t.Fatal(err)
	}
	// Pushing without credentials must be refused, or the auth cases below prove nothing.
	if err := imagetest.Push(ctx, p.appRepo+":anon", p.app); err == nil {
		t.Fatal("anonymous push succeeded: the registry does not require auth")
	}
	return p
}

func TestRealRegistry(t *testing.T) {
	reg := startRealRegistry(t)
	emptyDockerConfig := t.TempDir()
	t.Setenv("DOCKER_CONFIG", emptyDockerConfig) // a developer's own credentials never leak in
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p := pushRealFixtures(ctx, t, reg)

	good := image.Options{Username: realUser, Password: realPassword, Timeout: 5 * time.Second}
	withDistro := func(id realIdentity, d [3]string) realIdentity { id.Distro = d; return id }
	appWant := withDistro(wantRealIdentity(t, p.appRepo, p.app, ""), [3]string{"debian", "12", "bookworm"})
	indexDigest := realDigest(t, p.index)
	armWant := withDistro(wantRealIdentity(t, p.multiRep, p.arm64, indexDigest), [3]string{"ubuntu", "24.04", "noble"})
	amdWant := withDistro(wantRealIdentity(t, p.multiRep, p.amd64, indexDigest), [3]string{"alpine", "3.19.1", ""})

	tests := []struct {
		name         string
		ref          string
		opts         image.Options
		dockerConfig string // DOCKER_CONFIG; empty means the empty one
		want         realIdentity
	}{
		{name: "tag", ref: p.appRepo + ":1.0", opts: good, want: appWant},
		{name: "digest", ref: p.appRepo + "@" + appWant.ManifestDigest, opts: good, want: appWant},
		{name: "registry scheme and insecure host", ref: "registry:" + p.appRepo + ":1.0", opts: withRealInsecure(good, reg.host), want: appWant},
		{name: "index arm64", ref: p.multiRep + ":1", opts: withRealPlatform(good, "linux/arm64"), want: armWant},
		{name: "index amd64 by index digest", ref: p.multiRep + "@" + indexDigest, opts: withRealPlatform(good, "linux/amd64"), want: amdWant},
		{name: "docker config credentials", ref: p.appRepo + ":1.0", dockerConfig: writeRealDockerConfig(t, reg.host), want: appWant},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dockerConfig != "" {
				t.Setenv("DOCKER_CONFIG", tc.dockerConfig)
			}
			in, err := inspectReal(ctx, tc.ref, tc.opts)
			if err != nil {
				t.Fatalf("inspect %s: %v", tc.ref, err)
			}
			if diff := cmp.Diff(tc.want, gotRealIdentity(in)); diff != "" {
				t.Errorf("inspect %s (-want +got):\n%s", tc.ref, diff)
			}
		})
	}
}

func withRealInsecure(o image.Options, hosts ...string) image.Options {
	o.Insecure = hosts
	return o
}

func withRealPlatform(o image.Options, p string) image.Options {
	o.Platform = p
	return o
}

func TestRealRegistryErrors(t *testing.T) {
	reg := startRealRegistry(t)
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p := pushRealFixtures(ctx, t, reg)
	good := image.Options{Username: realUser, Password: realPassword, Timeout: 5 * time.Second}
	closed := realFreeAddr(t)

	tests := []struct {
		name         string
		ref          string
		opts         image.Options
		dockerConfig string
		wantIs       error
		wantNotIs    error
		wantIn       []string
	}{
		{
			name: "bad password", ref: p.appRepo + ":1.0",
			opts:   image.Options{Username: realUser, Password: "wrong", Timeout: 5 * time.Second},
			wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password", "401"},
		},
		{
			name: "unknown user by digest", ref: p.appRepo + "@" + realDigest(t, p.app),
			opts:   image.Options{Username: "mallory", Password: realPassword, Timeout: 5 * time.Second},
			wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password"},
		},
		{
			name: "no credentials", ref: p.appRepo + ":1.0", opts: image.Options{Timeout: 5 * time.Second},
			wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password", "docker login " + reg.host},
		},
		{
			name: "docker config for another host", ref: p.appRepo + ":1.0", opts: image.Options{Timeout: 5 * time.Second},
			dockerConfig: writeRealDockerConfig(t, "registry.example.com"),
			wantIs:       image.ErrUnauthorized, wantIn: []string{"--username/--password"},
		},
		{
			name: "absent platform", ref: p.multiRep + ":1", opts: withRealPlatform(good, "linux/s390x"),
			wantNotIs: image.ErrUnauthorized,
			wantIn:    []string{"linux/s390x is not in the index", "--platform", "linux/amd64", "linux/arm64/v8"},
		},
		{
			name: "unknown tag", ref: p.appRepo + ":nope", opts: good,
			wantNotIs: image.ErrUnauthorized, wantIn: []string{"not found"},
		},
		{
			name: "unreachable", ref: closed + "/plimsoll/app:1.0",
			opts:      withRealInsecure(image.Options{Username: realUser, Password: realPassword, Timeout: 2 * time.Second}, closed),
			wantNotIs: image.ErrUnauthorized, wantIn: []string{"unreachable", closed},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dockerConfig != "" {
				t.Setenv("DOCKER_CONFIG", tc.dockerConfig)
			}
			start := time.Now()
			_, err := inspectReal(ctx, tc.ref, tc.opts)
			if err == nil {
				t.Fatalf("inspect %s: no error", tc.ref)
			}
			t.Logf("inspect %s: %v (%s)", tc.ref, err, time.Since(start).Round(time.Millisecond))
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %q is not %q", err, tc.wantIs)
			}
			if tc.wantNotIs != nil && errors.Is(err, tc.wantNotIs) {
				t.Errorf("error %q is %q", err, tc.wantNotIs)
			}
			for _, s := range tc.wantIn {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}
