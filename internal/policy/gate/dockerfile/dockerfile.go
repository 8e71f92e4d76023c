// Package dockerfile is the dockerfile gate: checks of the Dockerfile's
// instructions, the effective user and the exposed ports. The Dockerfile is the
// one reconstructed from the image history unless the input carries the real one.
package dockerfile

import (
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Gate is the dockerfile gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "dockerfile" }

// Description says what the gate does.
func (Gate) Description() string {
	return "Checks of the Dockerfile (given, or reconstructed from the image history) and of the image configuration it made."
}

// Triggers lists the gate's triggers.
func (Gate) Triggers() []gate.Trigger {
	return []gate.Trigger{instruction{}, effectiveUser{}, exposedPorts{}, noDockerfile{}}
}

// Instructions are the Dockerfile instruction names.
var Instructions = []string{"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
	"LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}

// line is one instruction of the Dockerfile.
type line struct {
	Instruction string
	Args        string
	Layer       int
}

// lines returns the Dockerfile's instructions. A reconstructed Dockerfile is
// rebuilt step by step from the history, so each instruction carries the layer
// of its step; a real one is parsed as docker build parses it (moby/buildkit's
// parser) and attributed to the top layer.
func lines(in *gate.Input) []line {
	if !in.DockerfileActual && len(in.History) > 0 {
		var out []line
		for i, h := range in.History {
			text := strings.TrimPrefix(image.Dockerfile([]v1.History{{CreatedBy: h.CreatedBy}}), image.DockerfileHeader)
			for _, l := range parseHistory(text) {
				l.Layer = gate.LayerOfStep(in, i)
				out = append(out, l)
			}
		}
		return out
	}
	out, err := parseActual(in.Dockerfile)
	if err != nil {
		// Callers Validate a real Dockerfile when they read it; a stored
		// input that buildkit rejects is still read line by line.
		out = parseHistory(in.Dockerfile)
	}
	for i := range out {
		out[i].Layer = in.TopLayer()
	}
	return out
}
