package cvss

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that scores stay in [0, 10] with
// one decimal, and that a parsed vector's canonical String parses again to the
// same version, string and score.
func FuzzParse(f *testing.F) {
	for _, ex := range examples {
		f.Add(ex.vector)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "oracle", "*.tsv"))
	for _, file := range files {
		addSeeds(f, file, 50)
	}
	f.Add("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:S/MVC:H/CR:L/E:U")
	f.Add("(AV:N/AC:L/Au:N/C:C/I:C/A:C)")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		score := v.BaseScore()
		if score < 0 || score > 10 || math.Abs(score*10-math.Round(score*10)) > 1e-9 {
			t.Fatalf("Parse(%q) score %v", s, score)
		}
		if v.Severity() == "" {
			t.Fatalf("Parse(%q): no severity", s)
		}
		again, err := Parse(v.String())
		if err != nil {
			t.Fatalf("String() %q of %q does not parse: %v", v.String(), s, err)
		}
		if again.String() != v.String() || again.BaseScore() != score || again.Version() != v.Version() {
			t.Fatalf("round trip of %q: %q %v, then %q %v", s, v.String(), score, again.String(), again.BaseScore())
		}
	})
}

func addSeeds(f *testing.F, file string, max int) {
	fh, err := os.Open(file)
	if err != nil {
		f.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for n := 0; sc.Scan() && n < max; {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			vector, _, _ := strings.Cut(line, "\t")
			f.Add(vector)
			n++
		}
	}
}
