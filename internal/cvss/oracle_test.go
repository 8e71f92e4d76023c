package cvss

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOracle checks every vector in testdata/oracle against the score two
// independent implementations computed (see testdata/README.md).
func TestOracle(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "oracle", "*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no oracle files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if n := checkOracleFile(t, file); n < 400 {
				t.Errorf("only %d vectors checked", n)
			}
		})
	}
}

// TestOracleExhaustive checks a file of every CVSS v4.0 base vector, too large
// to commit, when CVSS_ORACLE_FILE names it (testdata/README.md says how to
// make it).
func TestOracleExhaustive(t *testing.T) {
	file := os.Getenv("CVSS_ORACLE_FILE")
	if file == "" {
		t.Skip("CVSS_ORACLE_FILE not set")
	}
	t.Logf("%d vectors checked", checkOracleFile(t, file))
}

// checkOracleFile reads "vector<TAB>score[<TAB>…]" lines, skipping comments,
// and reports each vector whose score differs.
func checkOracleFile(t *testing.T, file string) int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, failed := 0, 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		want, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			t.Fatalf("%s: bad line %q", file, line)
		}
		n++
		v, err := Parse(fields[0])
		switch {
		case err != nil:
			t.Errorf("Parse(%q): %v", fields[0], err)
		case v.BaseScore() != want:
			t.Errorf("%s: score %v, want %v", fields[0], v.BaseScore(), want)
		default:
			continue
		}
		if failed++; failed > 20 {
			t.Fatal("too many failures")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}
