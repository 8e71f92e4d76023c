package secretscans

import "regexp"

// Pattern is a named secret pattern.
type Pattern struct {
	Name string
	Re   *regexp.Regexp
}

// Patterns are the built-in secret patterns, named as Anchore's analyzer
// named its own where it had one.
var Patterns = []Pattern{
	{"AWS_ACCESS_KEY", regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`)},
	{"AWS_SECRET_KEY", regexp.MustCompile(`(?i)aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b`)},
	{"PRIV_KEY", regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`)},
	{"GITHUB_TOKEN", regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b`)},
	{"GITLAB_TOKEN", regexp.MustCompile(`\bglpat-[A-Za-z0-9_\-]{20}\b`)},
	{"SLACK_TOKEN", regexp.MustCompile(`\bxox[abeoprs]-[A-Za-z0-9-]{10,}\b`)},
	{"DOCKER_AUTH", regexp.MustCompile(`"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}"`)},
	{"API_KEY", regexp.MustCompile(`(?i)\bapi[_-]?key["']?\s*[:=]\s*["']?[A-Za-z0-9_\-]{20,64}\b`)},
}

// PatternNames lists the built-in pattern names.
func PatternNames() []string {
	var out []string
	for _, p := range Patterns {
		out = append(out, p.Name)
	}
	return out
}
