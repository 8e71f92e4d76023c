package vulnerabilities

import (
	"math"
	"strings"

	"github.com/plimsoll/plimsoll/internal/cvss"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// v3Scores are a CVSS v3 vector's base score and its exploitability and
// impact sub-scores, rounded to one decimal as NVD shows them.
type v3Scores struct{ base, exploitability, impact float64 }

// nvdV3 returns the scores of the finding's CVSS v3 assessment: the best
// score when it is v3, else the first v3 vector the records carried.
func nvdV3(f *match.Finding) (v3Scores, bool) {
	if f.CVSS != nil && strings.HasPrefix(f.CVSS.Version, "3") {
		return scoresOf(f.CVSS.Vector)
	}
	return vendorV3(f)
}

// vendorV3 returns the scores of the first CVSS v3 vector the advisory
// records themselves carried (the vendor's, as opposed to NVD's).
func vendorV3(f *match.Finding) (v3Scores, bool) {
	for _, s := range f.Severity {
		if s.Type == vulndb.SeverityCVSSv3 {
			if sc, ok := scoresOf(s.Score); ok {
				return sc, true
			}
		}
	}
	return v3Scores{}, false
}

// Metric weights of CVSS v3.0 and v3.1 (specification section 7.4).
var (
	weightAV  = map[string]float64{"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}
	weightAC  = map[string]float64{"L": 0.77, "H": 0.44}
	weightUI  = map[string]float64{"N": 0.85, "R": 0.62}
	weightCIA = map[string]float64{"H": 0.56, "L": 0.22, "N": 0}
)

func scoresOf(vector string) (v3Scores, bool) {
	v, err := cvss.Parse(vector)
	if err != nil || !strings.HasPrefix(v.Version(), "3") {
		return v3Scores{}, false
	}
	m := func(name string) string { s, _ := v.Metric(name); return s }
	changed := m("S") == "C"
	pr := map[string]float64{"N": 0.85, "L": 0.62, "H": 0.27}[m("PR")]
	if changed && m("PR") != "N" {
		pr = map[string]float64{"L": 0.68, "H": 0.5}[m("PR")]
	}
	exploitability := 8.22 * weightAV[m("AV")] * weightAC[m("AC")] * pr * weightUI[m("UI")]
	iss := 1 - (1-weightCIA[m("C")])*(1-weightCIA[m("I")])*(1-weightCIA[m("A")])
	impact := 6.42 * iss
	if changed {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	return v3Scores{base: v.BaseScore(), exploitability: round1(exploitability), impact: round1(math.Max(impact, 0))}, true
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
