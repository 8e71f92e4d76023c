package cosigntest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Install is how to install the cosign CLI the integration tests run.
const Install = "go install github.com/sigstore/cosign/v2/cmd/cosign@v2.6.5"

// Binary finds the cosign CLI (PLIMSOLL_TEST_COSIGN_BIN, PATH, $GOPATH/bin or
// ~/go/bin) or skips the test saying how to install it. A
// PLIMSOLL_TEST_COSIGN_BIN that does not exist fails the test, so CI that
// installs cosign and names it cannot pass as a skip.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("PLIMSOLL_TEST_COSIGN_BIN"); p != "" {
		if !exists(p) {
			t.Fatalf("PLIMSOLL_TEST_COSIGN_BIN=%s does not exist; install it with `%s`", p, Install)
		}
		return p
	}
	if p, err := exec.LookPath("cosign"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	if p := filepath.Join(gopath, "bin", "cosign"); exists(p) {
		return p
	}
	t.Skip("cosign not found (PLIMSOLL_TEST_COSIGN_BIN, PATH, $GOPATH/bin); install it with `" + Install + "`")
	return ""
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Env is an environment for the cosign CLI: its own HOME and TUF root, a
// docker config holding user:password for registry (host:port), and the key
// password KeyPassword.
func Env(t testing.TB, dir, registry, user, password string) []string {
	t.Helper()
	auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	cfg, err := json.Marshal(map[string]any{"auths": map[string]any{registry: map[string]string{"auth": auth}}})
	if err != nil {
		t.Fatal(err)
	}
	dockerDir := filepath.Join(dir, "docker")
	if err := os.MkdirAll(dockerDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dockerDir, "config.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"HOME=" + dir, "DOCKER_CONFIG=" + dockerDir, "COSIGN_PASSWORD=" + KeyPassword,
		"PATH=" + os.Getenv("PATH"), "TUF_ROOT=" + filepath.Join(dir, "tuf"), "SIGSTORE_NO_CACHE=true"}
}

// KeyPassword is the password of the keys cosign generates under Env.
const KeyPassword = "plimsoll-test"

// Run runs the cosign CLI in dir with env, failing the test on an error.
func Run(t testing.TB, bin, dir string, env []string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cosign %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
