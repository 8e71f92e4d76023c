package dockerfile

import (
	"slices"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Bounds of the alignment: the instructions of the final stage's chain that
// are aligned, and the history entries before them considered per
// instruction. Real Dockerfiles stay far below both; what lies beyond is
// left unattributed.
const (
	maxAligned     = 500
	historyPerStep = 4
	historySlack   = 64
)

// Notes on instructions whose layer is not that of a history step.
const (
	noteUnknown  = "layer unknown: no step of the image history matches this instruction"
	noteNoStep   = "no layer: before the first FROM, no build step"
	noteScratch  = "no layer: FROM scratch"
	noteNoLayers = "layer unknown: the image records no history"
)

// attribute gives each instruction of a real Dockerfile the layer of the
// history step it made. Only the final stage, and the stages it is built
// FROM, made this image: their instructions (FROM excluded) are aligned with
// the history — the longest common subsequence of instructions and history
// steps whose created_by matches (matchStep), traced back from the end so
// that the last instructions take the last steps. A FROM gets the layer
// below its stage's first step. Instructions no step matches, and those of
// other build stages, get NoLayer and a note saying why.
func attribute(in *gate.Input, ls []line) {
	chain := stageChain(ls)
	var seq []int // indexes in ls of the chain's instructions that make steps
	for i := range ls {
		l := &ls[i]
		switch {
		case l.Stage < 0:
			l.Layer, l.Note = gate.NoLayer, noteNoStep
		case !chain[l.Stage]:
			l.Layer, l.Note = gate.NoLayer, "no layer: build stage "+stageName(ls, l.Stage)+" is not the final image's"
		case l.Instruction == "FROM":
			l.Layer, l.Note = gate.NoLayer, noteUnknown
		default:
			seq = append(seq, i)
			l.Layer, l.Note = gate.NoLayer, noteUnknown
		}
	}
	if len(in.History) == 0 {
		for i := range ls {
			if ls[i].Note == noteUnknown {
				ls[i].Note = noteNoLayers
			}
		}
		return
	}
	if len(seq) > maxAligned {
		seq = seq[len(seq)-maxAligned:]
	}
	start := max(0, len(in.History)-historyPerStep*len(seq)-historySlack)
	steps := make([]form, len(in.History)-start)
	for j := range steps {
		steps[j] = stepForm(stepLine(in.History[start+j].CreatedBy))
	}
	instrs := make([]form, len(seq))
	for i, k := range seq {
		instrs[i] = instrForm(ls[k])
	}
	matched := map[int]int{} // index in ls → history index
	for _, p := range align(instrs, steps) {
		matched[seq[p[0]]] = start + p[1]
	}
	for i, h := range matched {
		ls[i].Layer, ls[i].Note = gate.LayerOfStep(in, h), ""
	}
	attributeFroms(in, ls, chain, matched)
}

// attributeFroms gives each FROM of the chain the layer below the first
// step after it; FROM scratch has none.
func attributeFroms(in *gate.Input, ls []line, chain map[int]bool, matched map[int]int) {
	for i := range ls {
		if ls[i].Instruction != "FROM" || ls[i].Stage < 0 || !chain[ls[i].Stage] {
			continue
		}
		if strings.EqualFold(fromImage(ls[i].Args), "scratch") {
			ls[i].Note = noteScratch
			continue
		}
		// The first step after the FROM; an ARG no step matches is passed
		// over (it makes no layer).
		next := -1
		for k := i + 1; k < len(ls); k++ {
			_, ok := matched[k]
			if ls[k].Instruction != "FROM" && ls[k].Stage >= 0 && chain[ls[k].Stage] && (ok || ls[k].Instruction != "ARG") {
				next = k
				break
			}
		}
		switch h, ok := matched[next]; {
		case next < 0:
			ls[i].Layer, ls[i].Note = gate.LayerOfStep(in, len(in.History)-1), "" // the image is its base
		case ok && h > 0:
			ls[i].Layer, ls[i].Note = gate.LayerOfStep(in, h-1), ""
		}
	}
}

// align returns the pairs (index in instrs, index in steps) of a longest
// common subsequence of matching instructions and steps, the later pairs
// first taken.
func align(instrs, steps []form) [][2]int {
	n, m := len(instrs), len(steps)
	if n == 0 || m == 0 {
		return nil
	}
	match := func(i, j int) bool { return instrs[i].matches(steps[j]) }
	w := m + 1
	t := make([]uint16, (n+1)*w)
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			switch {
			case match(i-1, j-1):
				t[i*w+j] = t[(i-1)*w+j-1] + 1
			case t[(i-1)*w+j] >= t[i*w+j-1]:
				t[i*w+j] = t[(i-1)*w+j]
			default:
				t[i*w+j] = t[i*w+j-1]
			}
		}
	}
	var out [][2]int
	for i, j := n, m; i > 0 && j > 0; {
		switch {
		case t[i*w+j] == t[(i-1)*w+j-1]+1 && match(i-1, j-1):
			out = append(out, [2]int{i - 1, j - 1})
			i, j = i-1, j-1
		case t[i*w+j-1] >= t[(i-1)*w+j]:
			j--
		default:
			i--
		}
	}
	slices.Reverse(out)
	return out
}

// stepLine is the instruction a history step's created_by records, as the
// reconstructed Dockerfile shows it; Instruction is "" for a step without one.
func stepLine(createdBy string) line {
	text := strings.TrimPrefix(image.Dockerfile([]v1.History{{CreatedBy: createdBy}}), image.DockerfileHeader)
	text = strings.TrimSpace(text)
	if text == "" || strings.HasPrefix(text, "#") {
		return line{}
	}
	return split(text)
}

// stageChain returns the stages the final stage is built on, itself included:
// a FROM naming an earlier stage (by AS name or index) continues that stage's
// filesystem and history.
func stageChain(ls []line) map[int]bool {
	names := map[string]int{}
	from := map[int]string{}
	last := -1
	for _, l := range ls {
		if l.Instruction != "FROM" || l.Stage < 0 {
			continue
		}
		last = l.Stage
		from[l.Stage] = strings.ToLower(fromImage(l.Args))
		if n := fromName(l.Args); n != "" {
			names[strings.ToLower(n)] = l.Stage
		}
	}
	chain := map[int]bool{}
	for s := last; s >= 0 && !chain[s]; {
		chain[s] = true
		parent, ok := names[from[s]]
		if !ok {
			parent = -1
			for k := range s {
				if from[s] == itoa(k) {
					parent = k
				}
			}
		}
		if parent >= s {
			break // a stage can only be built on an earlier one
		}
		s = parent
	}
	return chain
}

func itoa(n int) string { return strconv.Itoa(n) }

// fromWords splits FROM's arguments, flags (--platform=…) left out.
func fromWords(args string) []string {
	var out []string
	for _, w := range strings.Fields(args) {
		if !strings.HasPrefix(w, "--") {
			out = append(out, w)
		}
	}
	return out
}

func fromImage(args string) string {
	if w := fromWords(args); len(w) > 0 {
		return w[0]
	}
	return ""
}

func fromName(args string) string {
	if w := fromWords(args); len(w) == 3 && strings.EqualFold(w[1], "AS") {
		return w[2]
	}
	return ""
}

func stageName(ls []line, stage int) string {
	for _, l := range ls {
		if l.Stage == stage && l.Instruction == "FROM" {
			if n := fromName(l.Args); n != "" {
				return n
			}
		}
	}
	return itoa(stage)
}
