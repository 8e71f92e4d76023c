package dockerfile

import (
	"encoding/json"
	"path"
	"regexp"
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
		// over (BuildKit before 0.11 recorded none).
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

// matchStep reports whether a history step records a Dockerfile instruction,
// as BuildKit and the classic builder write created_by: RUN with its shell
// and build arguments, COPY and ADD by destination, EXPOSE by port set,
// ENV, LABEL and ARG by key set, the JSON and shell forms alike.
func matchStep(l, s line) bool { return instrForm(l).matches(stepForm(s)) }

// form is an instruction or a step reduced to what matching compares, so
// the alignment normalises each once.
type form struct {
	instr string
	whole string // the arguments, loose
	run   string // RUN: the command, build arguments and shell dropped, collapsed
	first string // a RUN heredoc's first body line; HEALTHCHECK's command, loose
	dest  string // COPY, ADD: the destination
	set   string // EXPOSE: the ports; ENV, LABEL, ARG: the keys
}

func instrForm(l line) form {
	f := form{instr: l.Instruction, whole: loose(l.Args)}
	switch l.Instruction {
	case "RUN":
		f.run = collapse(words(l.Args))
		if head, body, ok := strings.Cut(l.Args, "\n"); ok && strings.HasPrefix(strings.TrimSpace(head), "<<") {
			first, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
			f.first = collapse(first)
		}
	case "COPY", "ADD":
		f.dest = lastWord(words(l.Args))
	case "HEALTHCHECK":
		cmd := l.Args
		if i := strings.Index(strings.ToUpper(cmd), "CMD "); i >= 0 {
			cmd = cmd[i+4:]
		} else if strings.Contains(strings.ToUpper(cmd), "NONE") {
			cmd = "NONE"
		}
		f.first = loose(cmd)
	}
	f.set = argSet(l)
	return f
}

func stepForm(s line) form {
	f := form{instr: s.Instruction, whole: loose(s.Args)}
	switch s.Instruction {
	case "RUN":
		f.run = collapse(runShell.ReplaceAllString(runArgs.ReplaceAllString(strings.TrimSpace(s.Args), ""), ""))
	case "COPY", "ADD":
		f.dest = lastWord(s.Args)
	}
	f.set = argSet(s)
	return f
}

func argSet(l line) string {
	switch l.Instruction {
	case "EXPOSE":
		return strings.Join(ports(l.Args), " ")
	case "ENV", "LABEL", "ARG":
		return strings.Join(keys(l.Args), " ")
	}
	return ""
}

// matches reports whether the step s records the instruction f.
func (f form) matches(s form) bool {
	if f.instr != s.instr || s.instr == "" {
		return false
	}
	switch f.instr {
	case "RUN":
		return f.run == s.run || (f.first != "" && strings.Contains(s.run, f.first))
	case "COPY", "ADD":
		return f.whole == s.whole || matchDest(f.dest, s.dest)
	case "EXPOSE", "ENV", "LABEL", "ARG":
		return f.set != "" && f.set == s.set
	case "HEALTHCHECK":
		return strings.Contains(s.whole, f.first)
	}
	return f.whole == s.whole
}

var (
	runArgs  = regexp.MustCompile(`^\|\d+(\s+\S+=\S*)*\s+`)
	runShell = regexp.MustCompile(`^/bin/(ba)?sh -c\s+`)
	spaces   = regexp.MustCompile(`\s+`)
)

// words reads a JSON array as its words joined by spaces; anything else as is.
func words(s string) string {
	var ws []string
	if strings.HasPrefix(strings.TrimSpace(s), "[") && json.Unmarshal([]byte(s), &ws) == nil {
		return strings.Join(ws, " ")
	}
	return s
}

func collapse(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// loose is an argument string without JSON or Go list punctuation, its
// whitespace collapsed and a leading /bin/sh -c dropped: CMD ["a", "b"] and
// the step's CMD ["a" "b"], VOLUME /data and VOLUME [/data] compare equal.
func loose(s string) string {
	s = strings.NewReplacer("[", " ", "]", " ", `"`, " ", ",", " ").Replace(s)
	s = collapse(s)
	return strings.TrimSpace(strings.TrimPrefix(s, "/bin/sh -c"))
}

// matchDest compares COPY and ADD destinations (the last word; the classic
// builder writes "COPY file:<digest> in /dest"). A relative destination
// matches an absolute one that ends with it.
func matchDest(d, s string) bool {
	if d == "" || s == "" {
		return false
	}
	d, s = path.Clean(d), path.Clean(s)
	return d == s || (!path.IsAbs(d) && d != "." && strings.HasSuffix(s, "/"+d))
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

var portRE = regexp.MustCompile(`(\d+(?:-\d+)?)(/(?i:tcp|udp|sctp))?`)

// ports returns the sorted set of port/protocol an EXPOSE names (tcp when
// unsaid), from "22 53/udp" or BuildKit's "map[22/tcp:{} 53/udp:{}]".
func ports(s string) []string {
	var out []string
	for _, m := range portRE.FindAllStringSubmatch(s, -1) {
		proto := strings.ToLower(strings.TrimPrefix(m[2], "/"))
		if proto == "" {
			proto = "tcp"
		}
		out = append(out, m[1]+"/"+proto)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// keys returns the sorted keys of ENV, LABEL or ARG arguments: KEY=value
// pairs (values may be quoted), or the legacy "KEY value" form.
func keys(s string) []string {
	toks := tokens(s)
	if len(toks) == 0 {
		return nil
	}
	if !strings.Contains(toks[0], "=") {
		return []string{strings.Trim(toks[0], `"`)} // ENV KEY value…, ARG KEY
	}
	var out []string
	for _, t := range toks {
		// A word without "=" is the rest of an unquoted value: history steps
		// record values with their quotes removed.
		if k, _, ok := strings.Cut(t, "="); ok {
			out = append(out, strings.Trim(k, `"`))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// tokens splits on unquoted whitespace, keeping quotes and escapes in place.
func tokens(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == ' ' || r == '\t' || r == '\n':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
