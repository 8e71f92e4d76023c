package cvss

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("invalid CVSS vector")

// Vector is a parsed, validated CVSS vector with its score. The zero Vector
// has no version and a score of 0.
type Vector struct {
	version string
	values  map[string]string
	score   float64
}

// Parse parses a CVSS v2, v3.0, v3.1 or v4.0 vector string and computes its
// score. Surrounding white space is ignored.
func Parse(vector string) (Vector, error) {
	s := strings.TrimSpace(vector)
	var (
		v   Vector
		err error
	)
	switch {
	case strings.HasPrefix(s, "CVSS:4.0/"):
		v, err = parseV4(strings.TrimPrefix(s, "CVSS:4.0/"))
	case strings.HasPrefix(s, "CVSS:3.1/"):
		v, err = parseV3("3.1", strings.TrimPrefix(s, "CVSS:3.1/"))
	case strings.HasPrefix(s, "CVSS:3.0/"):
		v, err = parseV3("3.0", strings.TrimPrefix(s, "CVSS:3.0/"))
	case strings.HasPrefix(s, "CVSS:2.0/"):
		v, err = parseV2(trimParens(strings.TrimPrefix(s, "CVSS:2.0/")))
	case strings.HasPrefix(s, "CVSS:"):
		err = fmt.Errorf("unsupported version prefix %q", prefixOf(s))
	default:
		v, err = parseV2(trimParens(s))
	}
	if err != nil {
		return Vector{}, fmt.Errorf("parse CVSS vector %q: %w: %w", clip(vector), ErrInvalid, err)
	}
	return v, nil
}

// Version returns "2.0", "3.0", "3.1" or "4.0".
func (v Vector) Version() string { return v.version }

// BaseScore returns the vector's score in [0, 10], rounded to one decimal.
// For v2 and v3 it is the base score; for v4 it is the score of all base,
// threat and environmental metrics given (see Nomenclature).
func (v Vector) BaseScore() float64 { return v.score }

// Severity returns the qualitative rating of the score: None, Low, Medium,
// High or Critical for v3 and v4; Low, Medium or High for v2 (NVD's v2
// ranges). The zero Vector has no severity.
func (v Vector) Severity() string {
	switch v.version {
	case "":
		return ""
	case "2.0":
		return severityV2(v.score)
	default:
		return severityV3(v.score)
	}
}

// Nomenclature names what the score covers, as CVSS v4.0 asks scores to be
// labelled: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE" for v4, and
// "CVSS-B" for earlier versions, whose score here is always the base score.
func (v Vector) Nomenclature() string {
	if v.version != "4.0" {
		return "CVSS-B"
	}
	return v4Nomenclature(v.values)
}

// String returns the canonical vector string: the version prefix ("CVSS:x.y/",
// none for v2) followed by the metrics given, in the specification's order.
func (v Vector) String() string {
	switch v.version {
	case "2.0":
		return joinMetrics("", v2Metrics, v.values)
	case "3.0", "3.1":
		return joinMetrics("CVSS:"+v.version+"/", v3Metrics, v.values)
	case "4.0":
		return joinMetrics("CVSS:4.0/", v4Metrics, v.values)
	}
	return ""
}

// Metric returns the value given for a metric abbreviation ("AV", "Au", "MSI"…)
// and whether it was present in the vector.
func (v Vector) Metric(name string) (string, bool) {
	val, ok := v.values[name]
	return val, ok
}

// Best parses every vector and returns the one of the preferred version:
// v4.0 over v3.1 over v3.0 over v2. Among vectors of the same version the
// first wins. Vectors that do not parse are skipped; ok is false when none
// parses.
func Best(vectors []string) (best Vector, ok bool) {
	for _, s := range vectors {
		v, err := Parse(s)
		if err != nil {
			continue
		}
		if !ok || rank(v.version) > rank(best.version) {
			best, ok = v, true
		}
	}
	return best, ok
}

func rank(version string) int {
	switch version {
	case "4.0":
		return 4
	case "3.1":
		return 3
	case "3.0":
		return 2
	case "2.0":
		return 1
	}
	return 0
}

func severityV3(score float64) string {
	switch {
	case score == 0:
		return "None"
	case score < 4:
		return "Low"
	case score < 7:
		return "Medium"
	case score < 9:
		return "High"
	default:
		return "Critical"
	}
}

func severityV2(score float64) string {
	switch {
	case score < 4:
		return "Low"
	case score < 7:
		return "Medium"
	default:
		return "High"
	}
}

func trimParens(s string) string {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		return s[1 : len(s)-1]
	}
	return s
}

func prefixOf(s string) string {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	return clip(s)
}

// clip shortens untrusted input quoted in an error.
func clip(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
