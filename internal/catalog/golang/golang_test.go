package golang

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

var (
	buildOnce sync.Once
	built     []byte
	buildErr  error
)

// testBinary builds, once, a Go program that requires example.com/lib v1.2.3
// (replaced by a local directory, so no network is needed) and returns it.
func testBinary(t testing.TB) []byte {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gobin")
		if err != nil {
			buildErr = err
			return
		}
		defer os.RemoveAll(dir)
		files := map[string]string{
			"go.mod":     "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.2.3\n\nreplace example.com/lib => ./lib\n",
			"main.go":    "package main\n\nimport \"example.com/lib\"\n\nfunc main() { println(lib.Hello()) }\n",
			"lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
			"lib/lib.go": "package lib\n\nfunc Hello() string { return \"hello\" }\n",
		}
		for name, content := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				buildErr = err
				return
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				buildErr = err
				return
			}
		}
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-trimpath", "-o", "app", ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			t.Logf("go build: %s", out)
			return
		}
		built, buildErr = os.ReadFile(filepath.Join(dir, "app"))
	})
	if buildErr != nil {
		t.Fatalf("build test binary: %v", buildErr)
	}
	return built
}

func TestReadBinary(t *testing.T) {
	bin, ok := ReadBinary(testBinary(t))
	if !ok {
		t.Fatal("built binary not read as a Go binary")
	}
	goVersion := runtime.Version()
	want := Binary{
		GoVersion: goVersion, GOOS: "linux", GOARCH: "amd64",
		Main: Module{Path: "example.com/app", Version: "(devel)", Main: true},
		Deps: []Module{{Path: "example.com/lib", Version: "v1.2.3", Replace: "./lib"}},
	}
	if diff := cmp.Diff(want, bin); diff != "" {
		t.Errorf("binary (-want +got):\n%s", diff)
	}
	for _, notGo := range [][]byte{nil, []byte("#!/bin/sh\necho hi\n"), []byte("\x7fELF\x02\x01\x01garbage"), testBinary(t)[:4096]} {
		if _, ok := ReadBinary(notGo); ok {
			t.Errorf("ReadBinary(%q…) = ok, want not a Go binary", notGo[:min(len(notGo), 8)])
		}
	}
}

func TestModuleReplacement(t *testing.T) {
	got := module(&debugModule{Path: "github.com/a/b", Version: "v1.0.0", Replace: &debugModule{Path: "github.com/fork/b", Version: "v1.0.1", Sum: "h1:x"}})
	want := Module{Path: "github.com/fork/b", Version: "v1.0.1", Sum: "h1:x", Replace: "github.com/a/b@v1.0.0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("module (-want +got):\n%s", diff)
	}
}

func TestCatalog(t *testing.T) {
	exe := imagetest.File("usr/local/bin/app", string(testBinary(t)))
	exe.Mode = 0o755
	notExe := imagetest.File("opt/app.bin", string(testBinary(t))) // no execute bit: not read
	script := imagetest.File("usr/local/bin/run.sh", "#!/bin/sh\n"+strings.Repeat("#", MinSize))
	script.Mode = 0o755
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{exe, notExe, script})
	goVersion := runtime.Version()
	const p = "/usr/local/bin/app"
	want := []catalogtest.Brief{
		{Name: "example.com/app", Version: "(devel)", Type: sbom.TypeGoModule, PURL: "pkg:golang/example.com/app@%28devel%29", Path: p},
		{Name: "example.com/lib", Version: "v1.2.3", Type: sbom.TypeGoModule, PURL: "pkg:golang/example.com/lib@v1.2.3", Path: p},
		{Name: "stdlib", Version: goVersion, Type: sbom.TypeGoModule, PURL: "pkg:golang/stdlib@" + strings.TrimPrefix(goVersion, "go"), Path: p},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
}
