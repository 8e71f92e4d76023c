package image

import (
	"regexp"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Masked replaces an environment value that looks secret.
const Masked = "********"

var (
	secretKey   = regexp.MustCompile(`(?i)(pass(word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth|_pat$|^pat_)`)
	secretValue = regexp.MustCompile(`(AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|://[^/\s:@]+:[^/\s@]+@`)
)

// MaskEnv returns KEY=VALUE pairs with secret-looking values masked: a key that
// names a password, token, key or credential, or a value shaped like a known
// credential (cloud access keys, forge tokens, private keys, URLs with passwords).
func MaskEnv(env []string) []string {
	out := make([]string, len(env))
	for i, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if v != "" && (secretKey.MatchString(k) || secretValue.MatchString(v)) {
			v = Masked
		}
		out[i] = k + "=" + v
	}
	return out
}

// DockerfileHeader marks a reconstruction so nobody mistakes it for the source.
const DockerfileHeader = "# Reconstructed from the image history; not the original Dockerfile.\n"

// Dockerfile reconstructs Dockerfile instructions from the history's created_by
// lines, as the classic builder and BuildKit write them.
func Dockerfile(history []v1.History) string {
	var b strings.Builder
	b.WriteString(DockerfileHeader)
	for _, h := range history {
		b.WriteString(instruction(h.CreatedBy))
		b.WriteByte('\n')
	}
	return b.String()
}

var (
	nopPrefix  = regexp.MustCompile(`^/bin/(ba)?sh -c #\(nop\)\s*`)
	shPrefix   = regexp.MustCompile(`^/bin/(ba)?sh -c\s+`)
	argsPrefix = regexp.MustCompile(`^\|\d+(\s+\S+=\S*)*\s+`)
	keyword    = regexp.MustCompile(`^(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)\b`)
)

// instruction turns one created_by into an instruction line.
func instruction(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	if s == "" {
		return "# (no created_by recorded for this step)"
	}
	s = strings.TrimSuffix(s, " # buildkit")
	if nopPrefix.MatchString(s) {
		return strings.TrimSpace(nopPrefix.ReplaceAllString(s, ""))
	}
	s = argsPrefix.ReplaceAllString(s, "")
	if keyword.MatchString(s) {
		if rest, ok := strings.CutPrefix(s, "RUN "); ok {
			return "RUN " + shPrefix.ReplaceAllString(rest, "")
		}
		return s
	}
	return "RUN " + shPrefix.ReplaceAllString(s, "")
}
