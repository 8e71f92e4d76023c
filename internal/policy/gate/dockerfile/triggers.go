package dockerfile

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

var listType = gate.Param{Name: "type", Type: gate.Enum, Required: true,
	Enum:        []string{"whitelist", "blacklist", "allowlist", "denylist"},
	Description: "whitelist/allowlist: fire for values not in the list; blacklist/denylist: fire for values in it"}

var actualOnly = gate.Param{Name: "actual_dockerfile_only", Type: gate.Bool, Default: "false",
	Description: "evaluate only a real Dockerfile, never one reconstructed from the history"}

func allowing(a gate.Args) bool { t := a.String("type"); return t == "whitelist" || t == "allowlist" }

// instruction checks one instruction type.
type instruction struct{}

func (instruction) Name() string { return "instruction" }
func (instruction) Description() string {
	return "Fires for each instruction of the given type whose arguments pass the check (exists: for each one; not_exists: once when there is none)."
}
func (instruction) Params() []gate.Param {
	return []gate.Param{
		{Name: "instruction", Type: gate.Enum, Required: true, Enum: Instructions, Description: "the instruction to check"},
		{Name: "check", Type: gate.Enum, Required: true, Enum: gate.StringChecks, Description: "the condition that fires"},
		{Name: "value", Type: gate.String, Description: "the value to compare with: a regexp for like/not_like, a comma-separated list for in/not_in"},
		actualOnly,
	}
}
func (instruction) Compile(a gate.Args) (gate.Check, error) {
	instr, check, value := a.String("instruction"), a.String("check"), a.String("value")
	if check != "exists" && check != "not_exists" && !a.Has("value") {
		return nil, fmt.Errorf("check %s needs a value", check)
	}
	if (check == "like" || check == "not_like") && a.Regexp("value") == nil {
		return nil, fmt.Errorf("value %q is not a regular expression", value)
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if a.Bool("actual_dockerfile_only") && !in.DockerfileActual {
			return nil, nil
		}
		if in.Dockerfile == "" && len(in.History) == 0 {
			return nil, nil // nothing to read (an SBOM): no_dockerfile_provided says so
		}
		var out []gate.Fire
		found := false
		for _, l := range lines(in) {
			if l.Instruction != instr {
				continue
			}
			found = true
			if check != "not_exists" && gate.CheckString(check, l.Args, true, value) {
				detail := fmt.Sprintf("Dockerfile %s %q: check %s %s", instr, l.Args, check, value)
				if l.Note != "" {
					detail += " (" + l.Note + ")"
				}
				out = append(out, gate.Fire{ID: instr + " " + l.Args, Layer: l.Layer, Detail: detail})
			}
		}
		if instr == "HEALTHCHECK" && in.Config != nil && len(in.Config.Healthcheck) > 0 {
			found = true // the configuration has one though the history does not show it
		}
		if check == "not_exists" && !found {
			out = append(out, gate.Fire{ID: instr, Layer: in.TopLayer(), Detail: fmt.Sprintf("the Dockerfile has no %s instruction", instr)})
		}
		return out, nil
	}, nil
}

// effectiveUser checks the user the container runs as.
type effectiveUser struct{}

func (effectiveUser) Name() string { return "effective_user" }
func (effectiveUser) Description() string {
	return "Fires when the effective user (the image configuration's User; root when unset) is denied or not allowed."
}
func (effectiveUser) Params() []gate.Param {
	return []gate.Param{
		{Name: "users", Type: gate.List, Required: true, Description: "comma-separated user names or uids"},
		listType,
	}
}
func (effectiveUser) Compile(a gate.Args) (gate.Check, error) {
	users, allow := a.List("users"), allowing(a)
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.Config == nil {
			return nil, nil
		}
		user, _, _ := strings.Cut(in.Config.User, ":")
		listed := slices.Contains(users, user)
		if user == "" || user == "root" || user == "0" {
			user = "root"
			listed = slices.Contains(users, "root") || slices.Contains(users, "0")
		}
		if listed == allow {
			return nil, nil
		}
		how := "is not allowed"
		if !allow {
			how = "is denied"
		}
		layer, src := userStep(in)
		return []gate.Fire{{ID: user, Layer: layer, Detail: fmt.Sprintf("the effective user %s %s (%s)", user, how, src)}}, nil
	}, nil
}

// userStep finds the layer of the last USER instruction.
func userStep(in *gate.Input) (int, string) {
	ls := configLines(in)
	for i := len(ls) - 1; i >= 0; i-- {
		if ls[i].Instruction == "USER" {
			return ls[i].Layer, "USER " + ls[i].Args
		}
	}
	return in.TopLayer(), "no USER instruction"
}

// exposedPorts checks the ports the image exposes.
type exposedPorts struct{}

func (exposedPorts) Name() string { return "exposed_ports" }
func (exposedPorts) Description() string {
	return "Fires for each exposed port that is denied or not allowed."
}
func (exposedPorts) Params() []gate.Param {
	return []gate.Param{
		{Name: "ports", Type: gate.List, Required: true, Description: "comma-separated ports, as 22 or 22/tcp"},
		listType, actualOnly,
	}
}
func (exposedPorts) Compile(a gate.Args) (gate.Check, error) {
	ports, allow := a.List("ports"), allowing(a)
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.Config == nil || (a.Bool("actual_dockerfile_only") && !in.DockerfileActual) {
			return nil, nil
		}
		var out []gate.Fire
		for _, p := range in.Config.ExposedPorts {
			num, _, _ := strings.Cut(p, "/")
			listed := slices.Contains(ports, p) || slices.Contains(ports, num)
			if listed == allow {
				continue
			}
			how := "is not allowed"
			if !allow {
				how = "is denied"
			}
			out = append(out, gate.Fire{ID: num, Layer: exposeLayer(in, num),
				Detail: fmt.Sprintf("port %s is exposed and %s", p, how)})
		}
		return out, nil
	}, nil
}

// exposeLayer finds the layer of the EXPOSE instruction naming the port.
func exposeLayer(in *gate.Input, port string) int {
	for _, l := range configLines(in) {
		if l.Instruction != "EXPOSE" {
			continue
		}
		for f := range strings.FieldsSeq(l.Args) {
			if n, _, _ := strings.Cut(f, "/"); n == port {
				return l.Layer
			}
		}
	}
	return in.TopLayer()
}

// noDockerfile fires when no real Dockerfile was given.
type noDockerfile struct{}

func (noDockerfile) Name() string { return "no_dockerfile_provided" }
func (noDockerfile) Description() string {
	return "Fires when the evaluation has no real Dockerfile (only one reconstructed from the history, or none)."
}
func (noDockerfile) Params() []gate.Param { return nil }
func (noDockerfile) Compile(gate.Args) (gate.Check, error) {
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.DockerfileActual {
			return nil, nil
		}
		return []gate.Fire{{ID: "no_dockerfile_provided", Layer: gate.NoLayer, Detail: "no Dockerfile was provided; the evaluation used the one reconstructed from the image history"}}, nil
	}, nil
}
