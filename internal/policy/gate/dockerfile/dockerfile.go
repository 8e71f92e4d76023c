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
	// Stage is the build stage of a real Dockerfile's instruction (-1 before
	// the first FROM); Note says why Layer is NoLayer, when it is.
	Stage int
	Note  string
}

// lines returns the Dockerfile's instructions. A reconstructed Dockerfile is
// rebuilt step by step from the history, so each instruction carries the layer
// of its step; a real one is parsed as docker build parses it (moby/buildkit's
// parser) and its instructions are matched with the history's steps
// (attribute): those no step matches carry NoLayer and a note, never a guess.
func lines(in *gate.Input) []line {
	if !in.DockerfileActual && len(in.History) > 0 {
		return historyLines(in)
	}
	out, err := parseActual(in.Dockerfile)
	if err != nil {
		// Callers Validate a real Dockerfile when they read it; a stored
		// input that buildkit rejects is still read line by line.
		out = parseHistory(in.Dockerfile)
		stage := -1
		for i := range out {
			if out[i].Instruction == "FROM" {
				stage++
			}
			out[i].Stage = stage
		}
	}
	attribute(in, out)
	return out
}

// historyLines is the Dockerfile reconstructed from the history, each
// instruction with the layer of its step.
func historyLines(in *gate.Input) []line {
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

// configLines are the instructions the image configuration's provenance is
// read from: the history's steps when there are any (a real Dockerfile does
// not show what the base image set), else the Dockerfile's.
func configLines(in *gate.Input) []line {
	if len(in.History) > 0 {
		return historyLines(in)
	}
	return lines(in)
}
