package cvss

import "math"

// v3Metrics lists the CVSS v3.x metrics in the order of the v3.1
// specification's vector string (section 6, table 15). Read-only.
var v3Metrics = []metricDef{
	base("AV", "N", "A", "L", "P"),
	base("AC", "L", "H"),
	base("PR", "N", "L", "H"),
	base("UI", "N", "R"),
	base("S", "U", "C"),
	base("C", "H", "L", "N"),
	base("I", "H", "L", "N"),
	base("A", "H", "L", "N"),
	optional("E", "X", "H", "F", "P", "U"),
	optional("RL", "X", "U", "W", "T", "O"),
	optional("RC", "X", "C", "R", "U"),
	optional("CR", "X", "H", "M", "L"),
	optional("IR", "X", "H", "M", "L"),
	optional("AR", "X", "H", "M", "L"),
	optional("MAV", "X", "N", "A", "L", "P"),
	optional("MAC", "X", "L", "H"),
	optional("MPR", "X", "N", "L", "H"),
	optional("MUI", "X", "N", "R"),
	optional("MS", "X", "U", "C"),
	optional("MC", "X", "H", "L", "N"),
	optional("MI", "X", "H", "L", "N"),
	optional("MA", "X", "H", "L", "N"),
}

func parseV3(version, s string) (Vector, error) {
	values, err := parseMetrics(s, v3Metrics)
	if err != nil {
		return Vector{}, err
	}
	roundup := roundupV31
	if version == "3.0" {
		roundup = roundupV30
	}
	return Vector{version: version, values: values, score: scoreV3(values, roundup)}, nil
}

// scoreV3 is the CVSS v3.x base equation (v3.1 specification, section 7.1;
// v3.0 specification, section 8.1, is the same apart from Roundup):
//
//	ISS = 1 - [(1 - C) × (1 - I) × (1 - A)]
//	Impact = 6.42 × ISS                                  (scope unchanged)
//	Impact = 7.52 × (ISS - 0.029) - 3.25 × (ISS - 0.02)^15 (scope changed)
//	Exploitability = 8.22 × AV × AC × PR × UI
//	Base = 0 if Impact <= 0, else
//	       Roundup(Minimum(Impact + Exploitability, 10))        (unchanged)
//	       Roundup(Minimum(1.08 × (Impact + Exploitability), 10)) (changed)
func scoreV3(m map[string]string, roundup func(float64) float64) float64 {
	changed := m["S"] == "C"
	av := map[string]float64{"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}[m["AV"]]
	ac := map[string]float64{"L": 0.77, "H": 0.44}[m["AC"]]
	pr := map[string]float64{"N": 0.85, "L": 0.62, "H": 0.27}[m["PR"]]
	if changed {
		pr = map[string]float64{"N": 0.85, "L": 0.68, "H": 0.5}[m["PR"]]
	}
	ui := map[string]float64{"N": 0.85, "R": 0.62}[m["UI"]]
	cia := func(name string) float64 {
		return map[string]float64{"H": 0.56, "L": 0.22, "N": 0}[m[name]]
	}
	iss := 1 - (1-cia("C"))*(1-cia("I"))*(1-cia("A"))
	impact := 6.42 * iss
	if changed {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	exploitability := 8.22 * av * ac * pr * ui
	if impact <= 0 {
		return 0
	}
	if changed {
		return roundup(math.Min(1.08*(impact+exploitability), 10))
	}
	return roundup(math.Min(impact+exploitability, 10))
}

// roundupV31 is the v3.1 specification's Roundup (Appendix A): the smallest
// number with one decimal that is equal to or higher than its input, computed
// on integers so that floating-point noise (4.000000000000001) does not round
// up a whole step.
func roundupV31(x float64) float64 {
	i := int64(math.Round(x * 100000))
	if i%10000 == 0 {
		return float64(i) / 100000
	}
	return float64(i/10000+1) / 10
}

// roundupV30 is the v3.0 specification's Round up: the ceiling to one decimal.
func roundupV30(x float64) float64 {
	return math.Ceil(x*10) / 10
}
