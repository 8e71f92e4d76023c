package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"collapses whitespace", "  RUN  apt-get\tinstall \n -y  ", 80, "RUN apt-get install -y"},
		{"short enough", "abcde", 5, "abcde"},
		{"cut with an ellipsis", "abcdef", 5, "abcd…"},
		{"cut on a rune boundary", "ééééé", 4, "ééé…"},
		{"cut before a space", "abc def", 5, "abc…"},
		{"max 1", "abc", 1, "…"},
		{"no limit", strings.Repeat("x", 300), 0, strings.Repeat("x", 300)},
		{"terminal escapes dropped", "ok\x1b]0;pwned\x07\x1b[2Jdone", 0, "ok]0;pwned[2Jdone"},
		{"C1 controls dropped", "a\u009b31mb", 0, "a31mb"},
		{"bidi override dropped", "safe\u202eexe.txt", 0, "safeexe.txt"},
		{"NUL and DEL dropped", "a\x00b\x7fc", 0, "abc"},
		{"invalid UTF-8 replaced", "a\xffb", 0, "a\ufffdb"},
		{"non-ASCII kept", "Grüße, 世界", 0, "Grüße, 世界"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in, tc.max); got != tc.want {
				t.Errorf("Line(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

func FuzzLine(f *testing.F) {
	f.Add("RUN \x1b[31m apt-get\tinstall é", 10)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, max int) {
		got := Line(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("Line(%q, %d) = %q: invalid UTF-8", s, max, got)
		}
		if max > 0 && utf8.RuneCountInString(got) > max {
			t.Fatalf("Line(%q, %d) = %q: longer than %d runes", s, max, got, max)
		}
		for _, r := range got {
			if r != ' ' && !unicode.IsPrint(r) {
				t.Fatalf("Line(%q, %d) = %q: keeps %U", s, max, got, r)
			}
		}
		if strings.Contains(got, "  ") {
			t.Fatalf("Line(%q, %d) = %q: whitespace not collapsed", s, max, got)
		}
	})
}
