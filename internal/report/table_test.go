package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// TestWriteTableByLayerIndex: a hostile SBOM may say a package came from a
// layer that does not exist (negative or past the end); --by-layer prints the
// group without a CREATED BY instead of panicking.
func TestWriteTableByLayerIndex(t *testing.T) {
	for _, tc := range []struct {
		name  string
		layer int
		want  string
	}{
		{"known layer", 1, "LAYER 1  RUN npm ci (1)"},
		{"negative", -1, "LAYER -1 (1)"},
		{"past the end", 7, "LAYER 7 (1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := finding("CVE-1", "a", "high", 7.5, "")
			f.Package.IntroducedBy = tc.layer
			doc := &sbom.SBOM{Source: sbom.Source{Reference: "oci-dir:img", Layers: []sbom.Layer{{Index: 0, CreatedBy: "ADD rootfs /"}, {Index: 1, CreatedBy: "RUN  npm\tci"}}}}
			rep := NewScan(doc, &match.Result{Findings: []match.Finding{f}}, ScanOptions{})
			var buf bytes.Buffer
			if err := WriteTable(&buf, rep, true, false); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "\n"+tc.want+"\n") {
				t.Errorf("table lacks %q:\n%s", tc.want, buf.String())
			}
		})
	}
}
