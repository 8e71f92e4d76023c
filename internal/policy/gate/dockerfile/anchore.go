package dockerfile

import (
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Anchore Engine identified the dockerfile gate's firings by the hash of its
// message (gate.AnchoreID); these methods write the messages as its gate did.

var (
	_ gate.AnchoreNamer = instruction{}
	_ gate.AnchoreNamer = effectiveUser{}
	_ gate.AnchoreNamer = exposedPorts{}
	_ gate.AnchoreNamer = noDockerfile{}
)

// AnchoreIDs: "Dockerfile directive 'RUN' check 'like' matched against '…'
// for line '…'", or "… not found, matching condition 'not_exists' check".
func (instruction) AnchoreIDs(a gate.Args, _ *gate.Input, fires []gate.Fire) {
	instr, check := a.String("instruction"), a.String("check")
	for i := range fires {
		msg := "Dockerfile directive '" + instr + "' not found, matching condition '" + check + "' check"
		if args, ok := strings.CutPrefix(fires[i].ID, instr+" "); ok && check != "not_exists" {
			msg = "Dockerfile directive '" + instr + "' check '" + check + "' matched against '" + a.String("value") + "' for line '" + args + "'"
		}
		fires[i].Anchore = gate.AnchoreID("dockerfile", "instruction", msg)
	}
}

// AnchoreIDs: "User app found as effective user, which is not on the allowed
// list" (or "… explicity not allowed list", Anchore's words), naming the user
// as the last USER instruction gave it (root without one).
func (effectiveUser) AnchoreIDs(a gate.Args, in *gate.Input, fires []gate.Fire) {
	user := "root"
	if in.Config != nil && strings.TrimSpace(in.Config.User) != "" {
		user = strings.TrimSpace(in.Config.User)
	}
	how := "which is explicity not allowed list"
	if allowing(a) {
		how = "which is not on the allowed list"
	}
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("dockerfile", "effective_user", "User "+user+" found as effective user, "+how)
	}
}

// AnchoreIDs: "Dockerfile exposes port (22) which is in policy file
// DENIEDPORTS list" (the port as the EXPOSE instruction wrote it: 22, 22/tcp),
// or "… which is not in policy file ALLOWEDPORTS list".
func (exposedPorts) AnchoreIDs(a gate.Args, in *gate.Input, fires []gate.Fire) {
	for i := range fires {
		port := exposedAs(in, fires[i].ID)
		msg := "Dockerfile exposes port (" + port + ") which is in policy file DENIEDPORTS list"
		if allowing(a) {
			msg = "Dockerfile exposes port (" + port + ") which is not in policy file ALLOWEDPORTS list"
		}
		fires[i].Anchore = gate.AnchoreID("dockerfile", "exposed_ports", msg)
	}
}

// exposedAs returns a port as an EXPOSE instruction of the Dockerfile wrote
// it, else as the image configuration records it (22/tcp).
func exposedAs(in *gate.Input, port string) string {
	for _, l := range lines(in) {
		if l.Instruction != "EXPOSE" {
			continue
		}
		for _, f := range strings.Fields(l.Args) {
			if n, _, _ := strings.Cut(f, "/"); n == port {
				return f
			}
		}
	}
	if in.Config != nil {
		for _, p := range in.Config.ExposedPorts {
			if n, _, _ := strings.Cut(p, "/"); n == port {
				return p
			}
		}
	}
	return port
}

// AnchoreIDs: the trigger's one message.
func (noDockerfile) AnchoreIDs(_ gate.Args, _ *gate.Input, fires []gate.Fire) {
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("dockerfile", "no_dockerfile_provided", "Image was not analyzed with an actual Dockerfile")
	}
}
