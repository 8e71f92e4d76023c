package image_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

// FuzzArchive opens arbitrary bytes as a docker archive and as an OCI archive: no
// panic, and anything accepted must inspect cleanly or fail with an error.
func FuzzArchive(f *testing.F) {
	dir := f.TempDir()
	img := sample(f, amd64, true)
	for i, write := range []func(string) error{
		func(p string) error { return imagetest.WriteDockerArchive(p, imagetest.Tagged{Tag: "a:1", Image: img}) },
		func(p string) error { return imagetest.WriteOCIArchive(p, imagetest.Tagged{Tag: "v1", Image: img}) },
	} {
		p := filepath.Join(dir, "seed"+string(rune('0'+i)))
		if err := write(p); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "in.tar")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, scheme := range []string{"docker-archive:", "oci-archive:"} {
			im, err := image.Open(context.Background(), scheme+p, image.Options{})
			if err != nil {
				continue
			}
			_, _ = image.Inspect(context.Background(), im, image.InspectOptions{Walk: layerfs.Options{MaxFileSize: 1 << 16}})
			im.Close()
		}
	})
}

// FuzzDockerfile reconstructs instructions from arbitrary history lines.
func FuzzDockerfile(f *testing.F) {
	for _, s := range []string{
		"/bin/sh -c #(nop)  CMD [\"bash\"]", "RUN /bin/sh -c apt-get update # buildkit",
		"|2 A=1 B=2 /bin/sh -c make", "", "COPY . . # buildkit", "/bin/sh -c #(nop)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := image.Dockerfile([]v1.History{{CreatedBy: s}})
		if !strings.HasPrefix(out, image.DockerfileHeader) || strings.Count(out, "\n") < 2 {
			t.Fatalf("Dockerfile(%q) = %q", s, out)
		}
		_ = image.MaskEnv([]string{s, "K=" + s})
	})
}
