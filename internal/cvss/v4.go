package cvss

import "strings"

// v4Metrics lists the CVSS v4.0 metrics in the order of the v4.0
// specification's vector string (section 7, table 23): base, threat,
// environmental, supplemental. Read-only.
var v4Metrics = []metricDef{
	base("AV", "N", "A", "L", "P"),
	base("AC", "L", "H"),
	base("AT", "N", "P"),
	base("PR", "N", "L", "H"),
	base("UI", "N", "P", "A"),
	base("VC", "H", "L", "N"),
	base("VI", "H", "L", "N"),
	base("VA", "H", "L", "N"),
	base("SC", "H", "L", "N"),
	base("SI", "H", "L", "N"),
	base("SA", "H", "L", "N"),
	optional("E", "X", "A", "P", "U"),
	optional("CR", "X", "H", "M", "L"),
	optional("IR", "X", "H", "M", "L"),
	optional("AR", "X", "H", "M", "L"),
	optional("MAV", "X", "N", "A", "L", "P"),
	optional("MAC", "X", "L", "H"),
	optional("MAT", "X", "N", "P"),
	optional("MPR", "X", "N", "L", "H"),
	optional("MUI", "X", "N", "P", "A"),
	optional("MVC", "X", "H", "L", "N"),
	optional("MVI", "X", "H", "L", "N"),
	optional("MVA", "X", "H", "L", "N"),
	optional("MSC", "X", "H", "L", "N"),
	optional("MSI", "X", "S", "H", "L", "N"),
	optional("MSA", "X", "S", "H", "L", "N"),
	optional("S", "X", "N", "P"),
	optional("AU", "X", "N", "Y"),
	optional("R", "X", "A", "U", "I"),
	optional("V", "X", "D", "C"),
	optional("RE", "X", "L", "M", "H"),
	optional("U", "X", "Clear", "Green", "Amber", "Red"),
}

func parseV4(s string) (Vector, error) {
	values, err := parseMetrics(s, v4Metrics)
	if err != nil {
		return Vector{}, err
	}
	score, err := scoreV4(effectiveV4(values))
	if err != nil {
		return Vector{}, err
	}
	return Vector{version: "4.0", values: values, score: score}, nil
}

// effectiveV4 resolves the values the v4.0 equations use (specification,
// sections 4.2 and 8): a modified base metric other than X replaces its base
// metric; E:X counts as E:A (Attacked) and CR/IR/AR:X as High, the
// highest-severity assumptions. The result holds every metric used by the
// equations under its base name (AV…SA, E, CR, IR, AR).
func effectiveV4(m map[string]string) map[string]string {
	eff := make(map[string]string, 15)
	for _, name := range []string{"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"} {
		eff[name] = m[name]
		if mod, ok := m["M"+name]; ok && mod != "X" {
			eff[name] = mod
		}
	}
	eff["E"] = orDefault(m["E"], "A")
	for _, name := range []string{"CR", "IR", "AR"} {
		eff[name] = orDefault(m[name], "H")
	}
	return eff
}

func orDefault(val, def string) string {
	if val == "" || val == "X" {
		return def
	}
	return val
}

// v4Nomenclature labels the score by the metric groups that took part:
// threat (E) and environmental (CR, IR, AR, M*) metrics count when not X.
func v4Nomenclature(m map[string]string) string {
	threat, env := false, false
	for name, val := range m {
		if val == "X" {
			continue
		}
		switch {
		case name == "E":
			threat = true
		case name == "CR" || name == "IR" || name == "AR" || strings.HasPrefix(name, "M"):
			env = true
		}
	}
	switch {
	case threat && env:
		return "CVSS-BTE"
	case threat:
		return "CVSS-BT"
	case env:
		return "CVSS-BE"
	}
	return "CVSS-B"
}
