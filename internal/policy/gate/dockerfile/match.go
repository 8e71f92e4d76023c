package dockerfile

import (
	"encoding/json"
	"path"
	"regexp"
	"slices"
	"strings"
)

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
		// BuildKit records the command without RUN's flags (--mount=…).
		args := runFlags.ReplaceAllString(strings.TrimSpace(l.Args), "")
		f.run = collapse(words(args))
		if head, body, ok := strings.Cut(args, "\n"); ok && strings.HasPrefix(strings.TrimSpace(head), "<<") {
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
	case "WORKDIR":
		// BuildKit records a relative WORKDIR joined to the one before.
		return f.whole == s.whole || matchDest(f.whole, s.whole)
	}
	return f.whole == s.whole
}

var (
	runArgs  = regexp.MustCompile(`^\|\d+(\s+\S+=\S*)*\s+`)
	runShell = regexp.MustCompile(`^/bin/(ba)?sh -c\s+`)
	runFlags = regexp.MustCompile(`^(--[A-Za-z][A-Za-z-]*(=\S*)?\s+)+`)
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
