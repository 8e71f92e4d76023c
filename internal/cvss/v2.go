package cvss

import "math"

// v2Metrics lists the CVSS v2 metrics in the order of the v2 guide's vector
// (section 2.4): base, temporal, environmental. Read-only.
var v2Metrics = []metricDef{
	base("AV", "L", "A", "N"),
	base("AC", "H", "M", "L"),
	base("Au", "M", "S", "N"),
	base("C", "N", "P", "C"),
	base("I", "N", "P", "C"),
	base("A", "N", "P", "C"),
	optional("E", "U", "POC", "F", "H", "ND"),
	optional("RL", "OF", "TF", "W", "U", "ND"),
	optional("RC", "UC", "UR", "C", "ND"),
	optional("CDP", "N", "L", "LM", "MH", "H", "ND"),
	optional("TD", "N", "L", "M", "H", "ND"),
	optional("CR", "L", "M", "H", "ND"),
	optional("IR", "L", "M", "H", "ND"),
	optional("AR", "L", "M", "H", "ND"),
}

func parseV2(s string) (Vector, error) {
	values, err := parseMetrics(s, v2Metrics)
	if err != nil {
		return Vector{}, err
	}
	return Vector{version: "2.0", values: values, score: scoreV2(values)}, nil
}

// scoreV2 is the CVSS v2 base equation (v2 guide, section 3.2.1):
//
//	BaseScore = round_to_1_decimal(((0.6*Impact)+(0.4*Exploitability)-1.5)*f(Impact))
//	Impact = 10.41*(1-(1-ConfImpact)*(1-IntegImpact)*(1-AvailImpact))
//	Exploitability = 20*AccessVector*AccessComplexity*Authentication
//	f(Impact) = 0 if Impact=0, 1.176 otherwise
func scoreV2(m map[string]string) float64 {
	av := map[string]float64{"L": 0.395, "A": 0.646, "N": 1.0}[m["AV"]]
	ac := map[string]float64{"H": 0.35, "M": 0.61, "L": 0.71}[m["AC"]]
	au := map[string]float64{"M": 0.45, "S": 0.56, "N": 0.704}[m["Au"]]
	cia := func(name string) float64 {
		return map[string]float64{"N": 0, "P": 0.275, "C": 0.660}[m[name]]
	}
	impact := 10.41 * (1 - (1-cia("C"))*(1-cia("I"))*(1-cia("A")))
	exploitability := 20 * av * ac * au
	f := 1.176
	if impact == 0 {
		f = 0
	}
	return roundHalfUp1(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f)
}

// roundHalfUp1 rounds to one decimal, halves away from zero, after removing
// the floating-point noise below 1e-9 that would push an exact half down.
func roundHalfUp1(x float64) float64 {
	return math.Round(x*10+1e-9) / 10
}
