package cvss

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var firstLine = regexp.MustCompile(`^\{'vector': '([^']+)', 'score': ([0-9.]+), 'severity': '(\w+)'\}$`)

// TestFIRSTReference checks an excerpt of FIRST's own CVSS v4.0 validation
// set, whose vectors carry threat and environmental metrics (see the file's
// header for its source).
func TestFIRSTReference(t *testing.T) {
	f, err := os.Open("testdata/first/reference-scores-excerpt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		m := firstLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("unexpected line %q", line)
		}
		want, _ := strconv.ParseFloat(m[2], 64)
		n++
		v, err := Parse(m[1])
		if err != nil {
			t.Errorf("Parse(%q): %v", m[1], err)
			continue
		}
		if v.BaseScore() != want || v.Severity() != m[3] {
			t.Errorf("%s: %v %s, want %v %s", m[1], v.BaseScore(), v.Severity(), want, m[3])
		}
	}
	if n < 80 {
		t.Errorf("only %d vectors checked", n)
	}
}
