package dockerfile

import (
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// FuzzAttribute aligns arbitrary Dockerfiles with arbitrary histories (one
// created_by a line; a line starting with "+" made a layer): no panic, every
// layer is NoLayer or one of the image's, an instruction without a layer says
// why, and layers never go down along the Dockerfile (the alignment keeps
// order).
func FuzzAttribute(f *testing.F) {
	f.Add("FROM debian\nRUN a\nCOPY x /x\nUSER app\n", "+/bin/sh -c #(nop) ADD file:a in / \n+RUN /bin/sh -c a # buildkit\n+COPY x /x # buildkit\nUSER app")
	f.Add("FROM a AS b\nRUN x\nFROM b\nEXPOSE 22\nENV A=1\n", "+ADD x /\n+|1 A=1 /bin/sh -c x\nEXPOSE map[22/tcp:{}]\n/bin/sh -c #(nop)  ENV A=1")
	f.Add("FROM scratch\nCOPY . /\n", "+COPY . / # buildkit")
	f.Fuzz(func(t *testing.T, text, history string) {
		if Validate(text) != nil {
			return
		}
		in := &gate.Input{Dockerfile: text, DockerfileActual: true}
		for _, c := range strings.Split(history, "\n") {
			h := image.HistoryView{CreatedBy: strings.TrimPrefix(c, "+")}
			if strings.HasPrefix(c, "+") {
				n := len(in.Layers)
				h.Layer = &n
				in.Layers = append(in.Layers, gate.Layer{Index: n})
			}
			in.History = append(in.History, h)
		}
		last := gate.NoLayer
		for _, l := range lines(in) {
			if l.Layer < gate.NoLayer || l.Layer >= len(in.Layers) || (l.Layer == gate.NoLayer) != (l.Note != "" || len(in.Layers) == 0) {
				t.Fatalf("%+v with %d layers", l, len(in.Layers))
			}
			if l.Layer == gate.NoLayer {
				continue
			}
			if l.Layer < last {
				t.Fatalf("%s at layer %d after layer %d", l.Instruction, l.Layer, last)
			}
			last = l.Layer
		}
	})
}
