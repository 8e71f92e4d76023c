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

// realRegistryBinary finds docker-registry (PLIMSOLL_TEST_REGISTRY_BIN, PATH,
// /usr/bin) and htpasswd, or skips the test naming what to install.
func realRegistryBinary(t *testing.T) (registry, htpasswd string) {
	t.Helper()
	switch p := os.Getenv("PLIMSOLL_TEST_REGISTRY_BIN"); {
	case p != "":
		if _, err := os.Stat(p); err != nil {
			t.Skipf("PLIMSOLL_TEST_REGISTRY_BIN=%s does not exist; install it with `%s`", p, realInstallHint)
		}
		registry = p
	default:
		if registry, _ = exec.LookPath("docker-registry"); registry == "" {
			if _, err := os.Stat("/usr/bin/docker-registry"); err != nil {
				t.Skipf("docker-registry (distribution 2.8) not found (PLIMSOLL_TEST_REGISTRY_BIN, PATH, /usr/bin); install it with `%s`", realInstallHint)
			}
			registry = "/usr/bin/docker-registry"
		}
	}
	htpasswd, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skipf("htpasswd not found to make a bcrypt password file; install it with `%s`", realInstallHint)
	}
	return registry, htpasswd
}

// realFreeAddr returns a loopback address nothing listens on (any more).
func realFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
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
// loopback port, waits until /v2/ answers 401, stops it when the test ends,
// and returns its host:port.
func startRealRegistry(t *testing.T) string {
	t.Helper()
	bin, htpasswdBin := realRegistryBinary(t)
	dir := t.TempDir()
	hash, err := exec.Command(htpasswdBin, "-Bbn", realUser, realPassword).Output()
	if err != nil {
		t.Fatalf("htpasswd -Bbn: %v", err)
	}
	htpasswd, cfg := filepath.Join(dir, "htpasswd"), filepath.Join(dir, "config.yml")
	if err := os.WriteFile(htpasswd, hash, 0o600); err != nil {
		t.Fatal(err)
	}
	var lastErr error
	for range 3 { // the port may be taken between choosing and binding it
		addr := realFreeAddr(t)
		body := fmt.Sprintf(realRegistryConfig, filepath.Join(dir, "storage"), addr, htpasswd)
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if lastErr = runRealRegistry(t, bin, cfg, addr); lastErr == nil {
			return addr
		}
	}
	t.Fatalf("start %s: %v", bin, lastErr)
	return ""
}

// realLogBuffer collects the registry's output while it runs.
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
		if t.Failed() {
			t.Logf("docker-registry output:\n%s", out.String())
		}
	})
	return nil
}

// waitRealRegistry polls url until it answers 401, the process exits, or 15 s pass.
func waitRealRegistry(exited <-chan error, url string) error {
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

// wantRealIdentity is what inspecting img, pushed to repo (and listed in the
// index with digest index, when not empty), must report.
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

// realSetup is a running registry holding an image and a two-platform index.
type realSetup struct {
	host, appRepo, multiRepo string
	app, amd64, arm64        v1.Image
	index                    v1.ImageIndex
}

// setupRealRegistry starts the registry, points DOCKER_CONFIG at a config
// with credentials for another host only, so a developer's own never leak in
// (and the podman fallbacks are not consulted), and pushes with credentials an
// image and a two-platform index.
func setupRealRegistry(ctx context.Context, t *testing.T) realSetup {
	t.Helper()
	host := startRealRegistry(t)
	t.Setenv("DOCKER_CONFIG", writeRealDockerConfig(t, "registry.invalid"))
	s := realSetup{
		host: host, appRepo: host + "/plimsoll/app", multiRepo: host + "/plimsoll/multi",
		app:   buildRealImage(t, v1.Platform{OS: "linux", Architecture: "amd64"}, "debian", "12", "bookworm"),
		amd64: buildRealImage(t, v1.Platform{OS: "linux", Architecture: "amd64"}, "alpine", "3.19.1", ""),
		arm64: buildRealImage(t, v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, "ubuntu", "24.04", "noble"),
	}
	var err error
	if s.index, err = imagetest.Index(s.amd64, s.arm64); err != nil {
		t.Fatal(err)
	}
	auth := remote.WithAuth(&authn.Basic{Username: realUser, Password: realPassword})
	if err := imagetest.Push(ctx, s.appRepo+":1.0", s.app, auth); err != nil {
		t.Fatal(err)
	}
	if err := imagetest.PushIndex(ctx, s.multiRepo+":1", s.index, auth); err != nil {
		t.Fatal(err)
	}
	// Pushing without credentials must be refused, or the auth cases prove nothing.
	if err := imagetest.Push(ctx, s.appRepo+":anon", s.app); err == nil {
		t.Fatal("anonymous push succeeded: the registry does not require auth")
	}
	return s
}

func TestRealRegistry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s := setupRealRegistry(ctx, t)
	good := image.Options{Username: realUser, Password: realPassword, Timeout: 5 * time.Second}
	withDistro := func(id realIdentity, d [3]string) realIdentity { id.Distro = d; return id }
	appWant := withDistro(wantRealIdentity(t, s.appRepo, s.app, ""), [3]string{"debian", "12", "bookworm"})
	indexDigest := realDigest(t, s.index)
	armWant := withDistro(wantRealIdentity(t, s.multiRepo, s.arm64, indexDigest), [3]string{"ubuntu", "24.04", "noble"})
	amdWant := withDistro(wantRealIdentity(t, s.multiRepo, s.amd64, indexDigest), [3]string{"alpine", "3.19.1", ""})
	insecure, arm, amd := good, good, good
	insecure.Insecure, arm.Platform, amd.Platform = []string{s.host}, "linux/arm64", "linux/amd64"

	tests := []struct {
		name         string
		ref          string
		opts         image.Options
		dockerConfig string // DOCKER_CONFIG when not the empty one
		want         realIdentity
	}{
		{name: "tag", ref: s.appRepo + ":1.0", opts: good, want: appWant},
		{name: "digest", ref: s.appRepo + "@" + appWant.ManifestDigest, opts: good, want: appWant},
		{name: "registry scheme and insecure host", ref: "registry:" + s.appRepo + ":1.0", opts: insecure, want: appWant},
		{name: "index arm64", ref: s.multiRepo + ":1", opts: arm, want: armWant},
		{name: "index amd64 by index digest", ref: s.multiRepo + "@" + indexDigest, opts: amd, want: amdWant},
		{name: "docker config credentials", ref: s.appRepo + ":1.0", dockerConfig: writeRealDockerConfig(t, s.host), want: appWant},
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
	t.Run("errors", func(t *testing.T) { testRealRegistryErrors(ctx, t, s) })
}

func testRealRegistryErrors(ctx context.Context, t *testing.T, s realSetup) {
	good := image.Options{Username: realUser, Password: realPassword, Timeout: 5 * time.Second}
	badPassword, unknownUser, anonymous, s390x := good, good, image.Options{Timeout: 5 * time.Second}, good
	badPassword.Password, unknownUser.Username, s390x.Platform = "wrong", "mallory", "linux/s390x"
	closed := realFreeAddr(t)
	unreachable := good
	unreachable.Insecure, unreachable.Timeout = []string{closed}, 2*time.Second

	tests := []struct {
		name   string
		ref    string
		opts   image.Options
		wantIs error // nil: must not be ErrUnauthorized
		wantIn []string
	}{
		{name: "bad password", ref: s.appRepo + ":1.0", opts: badPassword, wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password", "401"}},
		{name: "unknown user by digest", ref: s.appRepo + "@" + realDigest(t, s.app), opts: unknownUser, wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password"}},
		{name: "no credentials", ref: s.appRepo + ":1.0", opts: anonymous, wantIs: image.ErrUnauthorized, wantIn: []string{"--username/--password", "docker login " + s.host}},
		{name: "absent platform", ref: s.multiRepo + ":1", opts: s390x, wantIn: []string{"linux/s390x is not in the index", "--platform", "linux/amd64", "linux/arm64/v8"}},
		{name: "unknown tag", ref: s.appRepo + ":nope", opts: good, wantIn: []string{"not found"}},
		{name: "unreachable", ref: closed + "/plimsoll/app:1.0", opts: unreachable, wantIn: []string{"unreachable", closed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := inspectReal(ctx, tc.ref, tc.opts)
			if err == nil {
				t.Fatalf("inspect %s: no error", tc.ref)
			}
			t.Logf("inspect %s: %v", tc.ref, err)
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %q is not %q", err, tc.wantIs)
			}
			if tc.wantIs == nil && errors.Is(err, image.ErrUnauthorized) {
				t.Errorf("error %q is %q", err, image.ErrUnauthorized)
			}
			for _, want := range tc.wantIn {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}
