package policy

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGatesComplete checks that every gate package under gate/ is listed in
// Gates, and that gate and trigger names are unique and parameters described.
func TestGatesComplete(t *testing.T) {
	entries, err := os.ReadDir("gate")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "testdata" && e.Name() != "gatetest" {
			dirs = append(dirs, e.Name())
		}
	}
	var listed []string
	seen := map[string]bool{}
	for _, g := range Gates() {
		if seen[g.Name()] {
			t.Errorf("gate %s listed twice", g.Name())
		}
		seen[g.Name()] = true
		listed = append(listed, strings.ReplaceAll(g.Name(), "_", ""))
		if g.Description() == "" {
			t.Errorf("gate %s has no description", g.Name())
		}
		triggers := map[string]bool{}
		for _, tr := range g.Triggers() {
			if triggers[tr.Name()] {
				t.Errorf("gate %s: trigger %s twice", g.Name(), tr.Name())
			}
			triggers[tr.Name()] = true
			if tr.Description() == "" {
				t.Errorf("%s/%s has no description", g.Name(), tr.Name())
			}
			for _, p := range tr.Params() {
				if p.Description == "" || p.Type == "" {
					t.Errorf("%s/%s param %s lacks a type or description", g.Name(), tr.Name(), p.Name)
				}
			}
		}
	}
	if diff := cmp.Diff(dirs, listed); diff != "" {
		t.Errorf("gate packages vs Gates() (-dirs +listed):\n%s", diff)
	}
}

func TestDefaultCompiles(t *testing.T) {
	b := Default()
	if b.ID != "plimsoll-default" {
		t.Fatalf("default bundle did not parse: %s", b.File)
	}
	if _, err := New(Gates()).Compile(b); err != nil {
		t.Fatal(err)
	}
}

// TestDocsNameEveryTrigger keeps docs/policy.md in step with the gates: every
// gate, trigger and parameter is named there.
func TestDocsNameEveryTrigger(t *testing.T) {
	b, err := os.ReadFile("../../docs/policy.md")
	if err != nil {
		t.Skipf("docs not found: %v", err)
	}
	doc := string(b)
	for _, g := range Gates() {
		if !strings.Contains(doc, "`"+g.Name()+"`") {
			t.Errorf("docs/policy.md does not name gate %s", g.Name())
		}
		for _, tr := range g.Triggers() {
			if !strings.Contains(doc, tr.Name()) {
				t.Errorf("docs/policy.md does not name %s/%s", g.Name(), tr.Name())
			}
			for _, p := range tr.Params() {
				if !strings.Contains(doc, p.Name) {
					t.Errorf("docs/policy.md does not name %s/%s param %s", g.Name(), tr.Name(), p.Name)
				}
			}
		}
	}
}
