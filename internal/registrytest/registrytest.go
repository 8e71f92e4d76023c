// Package registrytest starts a real registry for integration tests: Debian's
// docker-registry (distribution 2.8) with htpasswd basic auth on a free loopback
// port. A test that calls Start is skipped, naming what to install, when the
// registry or htpasswd is missing — except under CI (CI=true), where a missing
// program is a failure, so a broken install cannot pass as a skip.
package registrytest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

const (
	User        = "plimsoll"
	Password    = "s3cret-pa55"
	InstallHint = "apt-get install docker-registry apache2-utils"
)

// binaries finds docker-registry (PLIMSOLL_TEST_REGISTRY_BIN, PATH,
// /usr/bin) and htpasswd, or skips the test naming what to install.
func binaries(t testing.TB) (registry, htpasswd string) {
	t.Helper()
	switch p := os.Getenv("PLIMSOLL_TEST_REGISTRY_BIN"); {
	case p != "":
		if _, err := os.Stat(p); err != nil {
			skip(t, "PLIMSOLL_TEST_REGISTRY_BIN=%s does not exist; install it with `%s`", p, InstallHint)
		}
		registry = p
	default:
		if registry, _ = exec.LookPath("docker-registry"); registry == "" {
			if _, err := os.Stat("/usr/bin/docker-registry"); err != nil {
				skip(t, "docker-registry (distribution 2.8) not found (PLIMSOLL_TEST_REGISTRY_BIN, PATH, /usr/bin); install it with `%s`", InstallHint)
			}
			registry = "/usr/bin/docker-registry"
		}
	}
	htpasswd, err := exec.LookPath("htpasswd")
	if err != nil {
		skip(t, "htpasswd not found to make a bcrypt password file; install it with `%s`", InstallHint)
	}
	return registry, htpasswd
}

// FreeAddr returns a loopback address nothing listens on (any more).
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

const configTemplate = `version: 0.1
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

// Start starts docker-registry with htpasswd auth on a free
// loopback port, waits until /v2/ answers 401, stops it when the test ends,
// and returns its host:port.
func Start(t testing.TB) string {
	t.Helper()
	bin, htpasswdBin := binaries(t)
	dir := t.TempDir()
	hash, err := exec.Command(htpasswdBin, "-Bbn", User, Password).Output()
	if err != nil {
		t.Fatalf("htpasswd -Bbn: %v", err)
	}
	htpasswd, cfg := filepath.Join(dir, "htpasswd"), filepath.Join(dir, "config.yml")
	if err := os.WriteFile(htpasswd, hash, 0o600); err != nil {
		t.Fatal(err)
	}
	var lastErr error
	for range 3 { // the port may be taken between choosing and binding it
		addr := FreeAddr(t)
		body := fmt.Sprintf(configTemplate, filepath.Join(dir, "storage"), addr, htpasswd)
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if lastErr = run(t, bin, cfg, addr); lastErr == nil {
			return addr
		}
	}
	t.Fatalf("start %s: %v", bin, lastErr)
	return ""
}

// logBuffer collects the registry's output while it runs.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func run(t testing.TB, bin, cfg, addr string) error {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", cfg)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	var out logBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if err := wait(done, "http://"+addr+"/v2/"); err != nil {
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

// wait polls url until it answers 401, the process exits, or 15 s pass.
func wait(exited <-chan error, url string) error {
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

// DockerConfig writes a docker config.json granting the test credentials
// for host into a new directory and returns the directory.
func DockerConfig(t testing.TB, host string) string {
	t.Helper()
	dir := t.TempDir()
	token := base64.StdEncoding.EncodeToString([]byte(User + ":" + Password))
	body := fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, host, token)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// skip skips the test, or fails it under CI, where .ci/run installs the programs.
func skip(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI: "+format, args...)
	}
	t.Skipf(format, args...)
}
