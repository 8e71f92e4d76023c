// Package pep440 implements Python package versions as specified by PEP 440
// (the "Version specifiers" specification of the Python Packaging Authority),
// as used by PyPI.
//
// Parse accepts every spelling the specification's normalisation rules
// allow: case-insensitive, surrounding white space, a leading 'v', '-', '_'
// or '.' separators (or none) before pre-, post- and dev-release markers,
// the alternative spellings alpha/beta/c/pre/preview/rev/r, implicit
// numbers, the "1.0-1" post-release form and local versions with any of the
// three separators. Normalized returns the canonical form.
//
// Order: epoch; release (trailing zeros ignored: 1.0 == 1.0.0); then
// dev-releases of a release before its pre-releases (1.0.dev1 < 1.0a1),
// a < b < rc, the release itself, then post-releases, each of those with its
// own dev-releases first (1.0.post1.dev1 < 1.0.post1); finally local
// versions sort after the same public version, segment by segment, with
// numeric segments above alphanumeric ones.
package pep440

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/plimsoll/plimsoll/internal/version/internal/numstr"
)

// pattern is the PEP 440 version grammar with its normalisation latitude.
var pattern = regexp.MustCompile(`(?i)^v?` +
	`(?:([0-9]+)!)?` + // epoch
	`([0-9]+(?:\.[0-9]+)*)` + // release
	`(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?` + // pre
	`(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?` + // post
	`(?:[-_.]?(dev)[-_.]?([0-9]+)?)?` + // dev
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$`) // local

// Pre-release phases.
const (
	phaseNone = -1
	phaseA    = 0
	phaseB    = 1
	phaseRC   = 2
)

// Version is a parsed PEP 440 version.
type Version struct {
	raw      string
	epoch    string   // digits without leading zeros
	release  []string // digits without leading zeros
	phase    int      // phaseNone or a pre-release phase
	preNum   string
	post     bool
	postNum  string
	dev      bool
	devNum   string
	local    []string // lower case; numeric segments without leading zeros
	trimRel  []string // release without trailing zeros, for comparison
	hasLocal bool
}

// Parse parses a PEP 440 version.
func Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	m := pattern.FindStringSubmatch(t)
	if m == nil {
		return Version{}, fmt.Errorf("parse pep440 version %q: %w", s, errInvalid(t))
	}
	v := Version{raw: t, epoch: numstr.Trim(m[1]), phase: phaseNone}
	for _, f := range strings.Split(m[2], ".") {
		v.release = append(v.release, numstr.Trim(f))
	}
	v.trimRel = v.release
	for len(v.trimRel) > 1 && v.trimRel[len(v.trimRel)-1] == "0" {
		v.trimRel = v.trimRel[:len(v.trimRel)-1]
	}
	if m[3] != "" {
		v.phase = phaseOf(strings.ToLower(m[3]))
		v.preNum = numstr.Trim(m[4])
	}
	switch {
	case m[5] != "":
		v.post, v.postNum = true, numstr.Trim(m[5])
	case m[6] != "":
		v.post, v.postNum = true, numstr.Trim(m[7])
	}
	if m[8] != "" {
		v.dev, v.devNum = true, numstr.Trim(m[9])
	}
	if m[10] != "" {
		v.hasLocal = true
		for _, seg := range strings.FieldsFunc(strings.ToLower(m[10]), isLocalSep) {
			if numstr.IsDigits(seg) {
				seg = numstr.Trim(seg)
			}
			v.local = append(v.local, seg)
		}
	}
	return v, nil
}

func phaseOf(label string) int {
	switch label {
	case "a", "alpha":
		return phaseA
	case "b", "beta":
		return phaseB
	}
	return phaseRC // c, rc, pre, preview
}

func isLocalSep(r rune) bool { return r == '.' || r == '-' || r == '_' }

// errInvalid explains why t is not a version, as well as a regular
// expression can.
func errInvalid(t string) error {
	switch {
	case t == "":
		return fmt.Errorf("empty version")
	case strings.ContainsAny(t, " \t\n"):
		return fmt.Errorf("contains white space")
	case strings.Count(t, "+") > 1:
		return fmt.Errorf("more than one '+'")
	}
	return fmt.Errorf("does not match the PEP 440 version grammar")
}

// String returns the version as it was given (without surrounding space).
func (v Version) String() string { return v.raw }

// Normalized returns the canonical PEP 440 form, e.g. "1!2.0rc1.post3.dev4+ubuntu.1".
func (v Version) Normalized() string {
	var b strings.Builder
	if v.epoch != "0" {
		b.WriteString(v.epoch + "!")
	}
	b.WriteString(strings.Join(v.release, "."))
	if v.phase != phaseNone {
		b.WriteString([...]string{"a", "b", "rc"}[v.phase] + v.preNum)
	}
	if v.post {
		b.WriteString(".post" + v.postNum)
	}
	if v.dev {
		b.WriteString(".dev" + v.devNum)
	}
	if v.hasLocal {
		b.WriteString("+" + strings.Join(v.local, "."))
	}
	return b.String()
}

// IsPrerelease reports whether v is a pre-release or a dev-release.
func (v Version) IsPrerelease() bool { return v.phase != phaseNone || v.dev }
