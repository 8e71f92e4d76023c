package dockerfile_test

import (
	"context"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/dockerfile"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
)

// FuzzDockerfile runs the instruction trigger over arbitrary Dockerfiles (read
// with buildkit's parser, or line by line when it rejects them) and history
// lines: no panic, and every fire names the instruction checked.
func FuzzDockerfile(f *testing.F) {
	f.Add("FROM debian:12\nRUN a && \\\n b\nUSER app\n", "/bin/sh -c #(nop)  EXPOSE 22")
	f.Add("\\\n\\", "RUN \\\n")
	f.Add("# c\n\n  run x", "")
	f.Add("# escape=`\nFROM a\nRUN <<EOF `\n  x\nbody\nEOF\nRUN [\"a\"]\n", "RUN <<EOF")
	tr := dockerfile.New()
	f.Fuzz(func(t *testing.T, text, createdBy string) {
		_ = dockerfile.Validate(text)
		for _, in := range []*gate.Input{
			{Dockerfile: text, DockerfileActual: true, Layers: []gate.Layer{{}}},
			{History: []image.HistoryView{{CreatedBy: createdBy}, {CreatedBy: text}}, Layers: []gate.Layer{{}}},
		} {
			check, err := gatetest.Compile(gatetest.Trigger(t, tr, "instruction"), map[string]string{"instruction": "RUN", "check": "exists"})
			if err != nil {
				t.Fatal(err)
			}
			fires, err := check(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			for _, fr := range fires {
				if !strings.HasPrefix(fr.ID, "RUN") || fr.Layer < gate.NoLayer || fr.Layer >= len(in.Layers) {
					t.Fatalf("fire %+v", fr)
				}
			}
		}
	})
}
