package vulndb

import (
	"fmt"
	"math"
	"strings"
)

// BaseScore computes the base score of a CVSS v2 or v3.x vector, as NVD would.
// CVSS v4 vectors (whose scores come from a lookup table) and malformed
// vectors are an error.
func BaseScore(vector string) (float64, error) {
	switch {
	case strings.HasPrefix(vector, "CVSS:3.0/"), strings.HasPrefix(vector, "CVSS:3.1/"):
		return baseScoreV3(vector)
	case strings.HasPrefix(vector, "CVSS:"):
		return 0, fmt.Errorf("cvss vector %q: version not supported", vector)
	default:
		return baseScoreV2(vector)
	}
}

// metrics splits "K:V/K:V" into a map, rejecting repeats and unknown values.
func metrics(vector string, allowed map[string]map[string]float64) (map[string]string, error) {
	m := map[string]string{}
	for _, part := range strings.Split(vector, "/") {
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("cvss vector %q: malformed metric %q", vector, part)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("cvss vector %q: metric %s repeated", vector, k)
		}
		if vals, known := allowed[k]; known {
			if _, ok := vals[v]; !ok {
				return nil, fmt.Errorf("cvss vector %q: %s:%s is not valid", vector, k, v)
			}
		}
		m[k] = v
	}
	for k := range allowed {
		if _, ok := m[k]; !ok {
			return nil, fmt.Errorf("cvss vector %q: base metric %s missing", vector, k)
		}
	}
	return m, nil
}

var v3Metrics = map[string]map[string]float64{
	"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
	"AC": {"L": 0.77, "H": 0.44},
	"PR": {"N": 0.85, "L": 0.62, "H": 0.27},
	"UI": {"N": 0.85, "R": 0.62},
	"S":  {"U": 0, "C": 0},
	"C":  {"H": 0.56, "L": 0.22, "N": 0},
	"I":  {"H": 0.56, "L": 0.22, "N": 0},
	"A":  {"H": 0.56, "L": 0.22, "N": 0},
}

func baseScoreV3(vector string) (float64, error) {
	_, rest, _ := strings.Cut(vector, "/")
	m, err := metrics(rest, v3Metrics)
	if err != nil {
		return 0, err
	}
	changed := m["S"] == "C"
	pr := v3Metrics["PR"][m["PR"]]
	if changed && m["PR"] == "L" {
		pr = 0.68
	} else if changed && m["PR"] == "H" {
		pr = 0.5
	}
	iss := 1 - (1-v3Metrics["C"][m["C"]])*(1-v3Metrics["I"][m["I"]])*(1-v3Metrics["A"][m["A"]])
	impact := 6.42 * iss
	if changed {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	exploit := 8.22 * v3Metrics["AV"][m["AV"]] * v3Metrics["AC"][m["AC"]] * pr * v3Metrics["UI"][m["UI"]]
	if impact <= 0 {
		return 0, nil
	}
	if changed {
		return roundUp(math.Min(1.08*(impact+exploit), 10)), nil
	}
	return roundUp(math.Min(impact+exploit, 10)), nil
}

// roundUp is CVSS v3.1's Roundup: the smallest one-decimal number >= x,
// computed in integers to avoid floating-point surprises.
func roundUp(x float64) float64 {
	i := int64(math.Round(x * 100000))
	if i%10000 == 0 {
		return float64(i) / 100000
	}
	return float64(i/10000+1) / 10
}

var v2Metrics = map[string]map[string]float64{
	"AV": {"L": 0.395, "A": 0.646, "N": 1.0},
	"AC": {"H": 0.35, "M": 0.61, "L": 0.71},
	"Au": {"M": 0.45, "S": 0.56, "N": 0.704},
	"C":  {"N": 0, "P": 0.275, "C": 0.660},
	"I":  {"N": 0, "P": 0.275, "C": 0.660},
	"A":  {"N": 0, "P": 0.275, "C": 0.660},
}

func baseScoreV2(vector string) (float64, error) {
	m, err := metrics(strings.TrimSuffix(strings.TrimPrefix(vector, "("), ")"), v2Metrics)
	if err != nil {
		return 0, err
	}
	v := func(k string) float64 { return v2Metrics[k][m[k]] }
	impact := 10.41 * (1 - (1-v("C"))*(1-v("I"))*(1-v("A")))
	exploit := 20 * v("AV") * v("AC") * v("Au")
	f := 1.176
	if impact == 0 {
		f = 0
	}
	return math.Round((0.6*impact+0.4*exploit-1.5)*f*10) / 10, nil
}
