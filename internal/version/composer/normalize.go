package composer

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// modifier is Composer's stability modifier: stability, its numbers, -dev.
const modifier = `[._-]?(?:(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?`

var (
	aliasRe     = regexp.MustCompile(`^([^,\s]+) +as +([^,\s]+)$`)
	flagRe      = regexp.MustCompile(`(?i)@(?:stable|rc|beta|alpha|dev)$`)
	metadataRe  = regexp.MustCompile(`^([^,\s+]+)\+\S+$`)
	classicalRe = regexp.MustCompile(`(?i)^v?(\d{1,5})(\.\d+)?(\.\d+)?(\.\d+)?` + modifier + `$`)
	dateRe      = regexp.MustCompile(`(?i)^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})` + modifier + `$`)
	nonDigitRe  = regexp.MustCompile(`\D`)
	devSuffixRe = regexp.MustCompile(`(?i)^(.*?)[.-]?dev$`)
	branchRe    = regexp.MustCompile(`(?i)^v?(\d+)(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?$`)
)

// errBranch is returned for named branches, which have no version order.
var errBranch = errors.New("a named branch has no version order")

// normalize returns Composer's normalised form of s.
func normalize(s string) (string, error) {
	v := strings.TrimSpace(s)
	if v == "" {
		return "", errors.New("empty version")
	}
	if m := aliasRe.FindStringSubmatch(v); m != nil {
		v = m[1]
	}
	if loc := flagRe.FindStringIndex(v); loc != nil {
		v = v[:loc[0]]
	}
	switch lower := strings.ToLower(v); {
	case lower == "master" || lower == "trunk" || lower == "default" || strings.HasPrefix(lower, "dev-"):
		return "", errBranch
	}
	if m := metadataRe.FindStringSubmatch(v); m != nil {
		v = m[1]
	}
	if m := classicalRe.FindStringSubmatch(v); m != nil {
		n := m[1] + orZero(m[2]) + orZero(m[3]) + orZero(m[4])
		return n + modifiers(m[5], m[6], m[7]), nil
	}
	if m := dateRe.FindStringSubmatch(v); m != nil {
		return nonDigitRe.ReplaceAllString(m[1], ".") + modifiers(m[2], m[3], m[4]), nil
	}
	if m := devSuffixRe.FindStringSubmatch(v); m != nil {
		if b := branchRe.FindStringSubmatch(m[1]); b != nil {
			return numericBranch(b), nil
		}
		return "", errBranch
	}
	return "", fmt.Errorf("not a Composer version (want e.g. 1.2.3, v1.2.3-beta1, 2024.01.31 or 2.x-dev)")
}

func orZero(part string) string {
	if part == "" {
		return ".0"
	}
	return part
}

// modifiers renders the stability and dev modifiers of a matched version.
func modifiers(stability, numbers, dev string) string {
	var out string
	if stability != "" {
		stability = strings.ToLower(stability)
		if stability == "stable" {
			return ""
		}
		out = "-" + expandStability(stability) + strings.TrimLeft(numbers, ".-")
	}
	if dev != "" {
		out += "-dev"
	}
	return out
}

func expandStability(s string) string {
	switch s {
	case "a":
		return "alpha"
	case "b":
		return "beta"
	case "p", "pl":
		return "patch"
	case "rc":
		return "RC"
	}
	return s
}

// numericBranch renders "2.1.x" style branches as 2.1.9999999.9999999-dev.
func numericBranch(m []string) string {
	var b strings.Builder
	b.WriteString(m[1])
	for _, p := range m[2:5] {
		if p == "" {
			p = ".x"
		}
		b.WriteString(p)
	}
	r := strings.NewReplacer("x", "9999999", "X", "9999999", "*", "9999999")
	return r.Replace(b.String()) + "-dev"
}
