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

// TestScopeAllLayers: in an all-layers scan, a finding whose package a later
// layer removed says so in the table (SQUASHED column), the JSON ("squashed":
// false, "removedBy") and SARIF; a squashed scan shows neither.
func TestScopeAllLayers(t *testing.T) {
	in, out := true, false
	kept, gone := finding("CVE-1", "kept", "high", 7.5, ""), finding("CVE-2", "gone", "high", 7.5, "")
	kept.Package.ID, gone.Package.ID = "k", "g"
	doc := &sbom.SBOM{Source: sbom.Source{Reference: "oci-dir:img", Scope: "all-layers"}, Packages: []sbom.Package{
		{ID: "k", Name: "kept", Squashed: &in},
		{ID: "g", Name: "gone", Squashed: &out, RemovedBy: 3},
	}}
	res := &match.Result{Findings: []match.Finding{gone, kept}}
	var table, js, sarif bytes.Buffer
	rep := NewScan(doc, res, ScanOptions{})
	if err := WriteTable(&table, rep, false, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteSARIF(&sarif, rep, "test"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SQUASHED", "no (removed by layer 3)", "1 findings in packages that a later layer removed"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	for _, want := range []string{`"squashed": false,
      "removedBy": 3`, `"squashed": true`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("JSON lacks %q:\n%s", want, js.String())
		}
	}
	if !strings.Contains(sarif.String(), "removed by layer 3; not in the final image") {
		t.Errorf("SARIF does not say the package was removed:\n%s", sarif.String())
	}

	doc.Source.Scope = ""
	doc.Packages[0].Squashed, doc.Packages[1].Squashed, doc.Packages[1].RemovedBy = nil, nil, 0
	table.Reset()
	js.Reset()
	rep = NewScan(doc, res, ScanOptions{})
	if err := WriteTable(&table, rep, false, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(table.String(), "SQUASHED") || strings.Contains(js.String(), "squashed") {
		t.Errorf("a squashed scan shows the scope:\n%s\n%s", table.String(), js.String())
	}
}
