package cvss

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedOSV is the project's shared directory of real OSV records, beside
// the repository.
const sharedOSV = "../../../shared/testdata/osv"

// knownInvalid lists the vectors of real records that are not valid CVSS and
// must be rejected, with the reason.
var knownInvalid = map[string]string{
	// NSWG-ECO-504 (npm): "U" is no value of I or A in any CVSS version.
	"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U": "metric I: illegal value",
}

// TestRealOSVVectors parses the severity vector of every real OSV record the
// project keeps and requires each to parse with a score in range, except the
// known invalid ones, which must be rejected.
func TestRealOSVVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sharedOSV, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no OSV records at %s", sharedOSV)
	}
	type severity struct{ Type, Score string }
	var record struct {
		Severity []severity
		Affected []struct{ Severity []severity }
	}
	n := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		record.Severity, record.Affected = nil, nil
		if err := json.Unmarshal(data, &record); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		all := record.Severity
		for _, a := range record.Affected {
			all = append(all, a.Severity...)
		}
		for _, s := range all {
			if s.Type != "CVSS_V2" && s.Type != "CVSS_V3" && s.Type != "CVSS_V4" {
				continue
			}
			n++
			v, err := Parse(s.Score)
			if reason, ok := knownInvalid[s.Score]; ok {
				if err == nil || !strings.Contains(err.Error(), reason) {
					t.Errorf("%s: Parse(%q) = %v, want an error containing %q", filepath.Base(file), s.Score, err, reason)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", filepath.Base(file), err)
				continue
			}
			if v.BaseScore() < 0 || v.BaseScore() > 10 || v.Severity() == "" {
				t.Errorf("%s: %q scored %v %q", filepath.Base(file), s.Score, v.BaseScore(), v.Severity())
			}
		}
	}
	if n == 0 {
		t.Fatal("no CVSS vectors found in the OSV records")
	}
	t.Logf("%d vectors in %d records", n, len(files))
}
