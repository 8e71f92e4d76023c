package cvss

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// scoreV4 computes the CVSS v4.0 score of the effective values eff (see
// effectiveV4) by the specification's section 8.2:
//
//  1. If every impact metric (VC VI VA SC SI SA) is None the score is 0.
//  2. EQ1–EQ6 place the vector in a MacroVector; its score is looked up.
//  3. For each EQ, the next lower MacroVector (that EQ one level down; for the
//     joint EQ3/EQ6 the specification's rule) gives the score available to
//     interpolate over, when it exists.
//  4. The vector's severity distance from the MacroVector's highest-severity
//     vector, in that EQ's metrics, as a proportion of the EQ level's depth,
//     scales that available score.
//  5. The mean of those scaled amounts over the EQs that have a lower
//     MacroVector is subtracted; the result is kept within [0, 10] and
//     rounded to one decimal.
func scoreV4(eff map[string]string) (float64, error) {
	raw, err := rawScoreV4(eff)
	if err != nil {
		return 0, err
	}
	return roundHalfUp1(raw), nil
}

// rawScoreV4 is scoreV4 before rounding.
func rawScoreV4(eff map[string]string) (float64, error) {
	noImpact := true
	for _, name := range []string{"VC", "VI", "VA", "SC", "SI", "SA"} {
		noImpact = noImpact && eff[name] == "N"
	}
	if noImpact {
		return 0, nil
	}
	mv := macroVector(eff)
	value, ok := v4MacroScores[mv]
	if !ok {
		return 0, fmt.Errorf("v4 scoring: no score for MacroVector %s", mv)
	}
	top, ok := highestSeverityVector(eff, mv)
	if !ok {
		return 0, fmt.Errorf("v4 scoring: no highest-severity vector for MacroVector %s", mv)
	}
	dist := func(names ...string) float64 {
		d := 0.0
		for _, n := range names {
			d += v4Level(n, eff[n]) - v4Level(n, pairValue(top, n))
		}
		return d
	}
	eq36 := mv[2:3] + mv[5:6]
	parts := []struct {
		lower    float64
		distance float64
		depth    float64
	}{
		{lowerScore(mv, 0), dist("AV", "PR", "UI"), v4Depth.eq1[mv[0]]},
		{lowerScore(mv, 1), dist("AC", "AT"), v4Depth.eq2[mv[1]]},
		{lowerScoreEQ3EQ6(mv), dist("VC", "VI", "VA", "CR", "IR", "AR"), v4Depth.eq3eq6[eq36]},
		{lowerScore(mv, 3), dist("SC", "SI", "SA"), v4Depth.eq4[mv[3]]},
		{lowerScore(mv, 4), 0, 1}, // EQ5 (E) adds no distance
	}
	sum, n := 0.0, 0
	for _, p := range parts {
		if math.IsNaN(p.lower) {
			continue
		}
		n++
		sum += (value - p.lower) * (p.distance / (p.depth * 0.1))
	}
	if n > 0 {
		value -= sum / float64(n)
	}
	return math.Max(0, math.Min(10, value)), nil
}

// macroVector returns the digits of EQ1..EQ6 for the effective values
// (specification, section 8.1, table 24 onwards).
func macroVector(m map[string]string) string {
	var eq [6]byte
	av, pr, ui := m["AV"], m["PR"], m["UI"]
	switch {
	case av == "N" && pr == "N" && ui == "N":
		eq[0] = '0'
	case (av == "N" || pr == "N" || ui == "N") && av != "P":
		eq[0] = '1'
	default:
		eq[0] = '2'
	}
	eq[1] = pick(m["AC"] == "L" && m["AT"] == "N", '0', '1')
	vc, vi, va := m["VC"], m["VI"], m["VA"]
	switch {
	case vc == "H" && vi == "H":
		eq[2] = '0'
	case vc == "H" || vi == "H" || va == "H":
		eq[2] = '1'
	default:
		eq[2] = '2'
	}
	switch {
	case m["SI"] == "S" || m["SA"] == "S":
		eq[3] = '0'
	case m["SC"] == "H" || m["SI"] == "H" || m["SA"] == "H":
		eq[3] = '1'
	default:
		eq[3] = '2'
	}
	eq[4] = map[string]byte{"A": '0', "P": '1', "U": '2'}[m["E"]]
	eq[5] = pick((m["CR"] == "H" && vc == "H") || (m["IR"] == "H" && vi == "H") ||
		(m["AR"] == "H" && va == "H"), '0', '1')
	return string(eq[:])
}

func pick(cond bool, yes, no byte) byte {
	if cond {
		return yes
	}
	return no
}

// lowerScore is the score of the MacroVector one level lower in EQ i, or NaN
// when there is none.
func lowerScore(mv string, i int) float64 {
	b := []byte(mv)
	b[i]++
	return macroScore(string(b))
}

// lowerScoreEQ3EQ6 is the score of the next lower MacroVector in the joint
// EQ3/EQ6: from 00 the higher of 01 and 10; from 01 and 10, 11; from 11, 21;
// from 21 there is none.
func lowerScoreEQ3EQ6(mv string) float64 {
	with := func(eq3, eq6 byte) float64 {
		b := []byte(mv)
		b[2], b[5] = eq3, eq6
		return macroScore(string(b))
	}
	switch mv[2:3] + mv[5:6] {
	case "00":
		return math.Max(with('0', '1'), with('1', '0'))
	case "01", "10":
		return with('1', '1')
	case "11":
		return with('2', '1')
	}
	return math.NaN()
}

func macroScore(mv string) float64 {
	if s, ok := v4MacroScores[mv]; ok {
		return s
	}
	return math.NaN()
}

// highestSeverityVector returns the first of the MacroVector's
// highest-severity vectors (in the specification's order, EQ1 varying
// slowest) from which the vector is at a non-negative distance in every
// metric. The condition holds metric by metric, so the first such
// combination is the combination of the first such part of each EQ.
func highestSeverityVector(eff map[string]string, mv string) (string, bool) {
	hs := v4HighestSeverity
	groups := [][]string{hs.eq1[mv[0]], hs.eq2[mv[1]], hs.eq3eq6[mv[2:3]+mv[5:6]], hs.eq4[mv[3]]}
	var top strings.Builder
	for _, candidates := range groups {
		i := slices.IndexFunc(candidates, func(c string) bool { return dominatedBy(eff, c) })
		if i < 0 {
			return "", false
		}
		if top.Len() > 0 {
			top.WriteByte('/')
		}
		top.WriteString(candidates[i])
	}
	return top.String(), true
}

// dominatedBy reports whether the vector is at or below top in severity in
// every metric of top ("K:V/K:V…").
func dominatedBy(eff map[string]string, top string) bool {
	for part := range strings.SplitSeq(top, "/") {
		name, val, _ := strings.Cut(part, ":")
		if v4Level(name, eff[name]) < v4Level(name, val) {
			return false
		}
	}
	return true
}

// pairValue returns the value of metric name in "K:V/K:V…", or "".
func pairValue(s, name string) string {
	for part := range strings.SplitSeq(s, "/") {
		if k, v, _ := strings.Cut(part, ":"); k == name {
			return v
		}
	}
	return ""
}

// v4Level is a metric value's severity level for the distance computation,
// in steps of 0.1 from the most severe value (specification, section 8.2):
// 0 is the most severe. Subsequent-system impacts start one step down, so
// that Safety (S) in MSI/MSA sits above High.
func v4Level(metric, value string) float64 {
	var order string
	switch metric {
	case "AV":
		order = "NALP"
	case "PR":
		order = "NLH"
	case "UI":
		order = "NPA"
	case "AC":
		order = "LH"
	case "AT":
		order = "NP"
	case "VC", "VI", "VA":
		order = "HLN"
	case "SC", "SI", "SA":
		order = "SHLN"
	case "CR", "IR", "AR":
		order = "HML"
	}
	i := strings.Index(order, value)
	if i < 0 || len(value) != 1 {
		return 0 // unreachable: Parse admits only the values above
	}
	return []float64{0.0, 0.1, 0.2, 0.3}[i]
}
