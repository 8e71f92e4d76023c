package dockerfile

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Validate parses a real Dockerfile as docker build does (moby/buildkit's
// parser), so a file it would reject is an error before any rule runs.
func Validate(text string) error {
	_, err := parseActual(text)
	return err
}

// parseActual parses a real Dockerfile with moby/buildkit's parser: parser
// directives (# escape=, # syntax=), continuations, comments and heredocs,
// whose bodies join the instruction's arguments. Each line carries its build
// stage (0 from the first FROM; -1 for ARGs before it). Arguments are the
// instruction's text as written after its keyword (JSON forms included),
// continuation lines joined.
func parseActual(text string) ([]line, error) {
	res, err := parser.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parse Dockerfile: %w", err)
	}
	var out []line
	stage := -1
	for _, n := range res.AST.Children {
		l := split(n.Original)
		for _, h := range n.Heredocs {
			l.Args += "\n" + strings.TrimSuffix(h.Content, "\n")
		}
		if l.Instruction == "FROM" {
			stage++
		}
		l.Stage = stage
		out = append(out, l)
	}
	return out, nil
}

// parseHistory splits the Dockerfile text reconstructed from an image's
// history into instructions: one a line, with continuations joined and
// comments skipped. History lines are not Dockerfile syntax (a heredoc's body
// is not recorded, escapes are already applied), so buildkit's parser is not
// used for them.
func parseHistory(text string) []line {
	var out []line
	var cur strings.Builder
	for raw := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(raw)
		if cur.Len() == 0 && (t == "" || strings.HasPrefix(t, "#")) {
			continue
		}
		if c, ok := strings.CutSuffix(t, "\\"); ok {
			cur.WriteString(c + " ")
			continue
		}
		cur.WriteString(t)
		out = append(out, split(cur.String()))
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, split(cur.String()))
	}
	return out
}

func split(s string) line {
	instr, args, _ := strings.Cut(strings.TrimSpace(s), " ")
	return line{Instruction: strings.ToUpper(instr), Args: strings.TrimSpace(args)}
}
