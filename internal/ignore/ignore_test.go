package ignore

import (
	"strings"
	"testing"
	"time"
)

const rulesYAML = `
output: table
ignore:
  - id: CVE-2023-0001
    reason: not reachable in our build
  - package: {name: openssl, type: deb}
    fix-state: not-fixed
    reason: waiting for the distro
    expires: 2026-06-30
  - path: /app/**/test/**
    reason: test fixtures only
  - package: {purl: pkg:npm/lodash}
    reason: every lodash
`

func TestParseAndMatch(t *testing.T) {
	rules, err := Parse([]byte(rulesYAML), ".plimsoll.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 4 || rules[0].Source != ".plimsoll.yaml:4" {
		t.Fatalf("rules = %+v", rules)
	}
	target := Target{ID: "CVE-2023-0002", Aliases: []string{"GHSA-x"}, Name: "openssl", Version: "3.0.11-1", Type: "deb", PURL: "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", Path: "/var/lib/dpkg/status", FixState: "not-fixed"}
	tests := []struct {
		name string
		rule int
		t    Target
		want bool
	}{
		{"id matches the display id", 0, Target{ID: "CVE-2023-0001"}, true},
		{"id matches an alias", 0, Target{ID: "GHSA-1", Aliases: []string{"CVE-2023-0001"}}, true},
		{"id differs", 0, target, false},
		{"package and fix state", 1, target, true},
		{"fix state differs", 1, Target{Name: "openssl", Type: "deb", FixState: "fixed"}, false},
		{"path glob with **", 2, Target{Path: "/app/src/test/fixtures/package.json"}, true},
		{"path glob needs the test dir", 2, Target{Path: "/app/src/main/package.json"}, false},
		{"versionless purl matches any version", 3, Target{PURL: "pkg:npm/lodash@4.17.4"}, true},
		{"purl of another package", 3, Target{PURL: "pkg:npm/lodash-es@4.17.4"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rules[tc.rule].Matches(tc.t); got != tc.want {
				t.Errorf("rule %d Matches(%+v) = %t, want %t", tc.rule, tc.t, got, tc.want)
			}
		})
	}
	if !rules[1].Expired(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) || rules[1].Expired(time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Error("expiry is not end of day 2026-06-30 UTC")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"no reason", "ignore:\n  - id: CVE-1\n", "f.yaml:2: ignore rule 1: reason is required"},
		{"selects nothing", "ignore:\n  - reason: why\n", "selects nothing"},
		{"bad fix state", "ignore:\n  - fix-state: maybe\n    reason: x\n", `fix-state "maybe"`},
		{"bad date", "ignore:\n  - id: X\n    reason: x\n    expires: next week\n", "YYYY-MM-DD"},
		{"not a list", "ignore: {id: x}\n", "f.yaml:1: ignore: want a list"},
		{"bad yaml", "ignore: [\n", "f.yaml"},
		{"relative path", "ignore:\n  - path: app/x\n    reason: r\n", `path "app/x" can never match`},
		{"leading star is not **", "ignore:\n  - path: '*/x'\n    reason: r\n", "can never match"},
		{"malformed glob", "ignore:\n  - path: /app/[x\n    reason: r\n", `f.yaml:2: ignore rule 1: path "/app/[x": element "[x": syntax error in pattern`},
		{"malformed glob after **", "ignore:\n  - path: '**/a\\'\n    reason: r\n", "syntax error in pattern"},
		{"misspelt id", "ignore:\n  - cve: CVE-1\n    package: {name: openssl}\n    reason: r\n", `f.yaml:2: ignore rule 1: unknown key "cve"`},
		{"unknown key on a later line", "ignore:\n  - id: CVE-1\n    reason: r\n  - id: CVE-2\n    reason: r\n    expire: 2026-01-01\n", `f.yaml:6: ignore rule 2: unknown key "expire"`},
		{"unknown key behind an alias", "base: &b\n  cve: CVE-1\n  reason: r\nignore:\n  - *b\n", `f.yaml:2: ignore rule 1: unknown key "cve"`},
		{"unknown package key behind an alias", "p: &p {nme: x}\nignore:\n  - package: *p\n    reason: r\n", `ignore rule 1 package: unknown key "nme"`},
		{"unknown package key", "ignore:\n  - package:\n      name: openssl\n      versoin: 3.0.1\n    reason: r\n", `f.yaml:4: ignore rule 1 package: unknown key "versoin"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "f.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	if rules, err := Parse(nil, "empty"); err != nil || rules != nil {
		t.Errorf("empty file: %v, %v", rules, err)
	}
}

func TestValidGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		ok      bool
	}{
		{"/usr/lib/**", true},
		{"**", true},
		{"**/package.json", true},
		{"/a/[bc]/*.so", true},
		{"/a/[", false},
		{"/a/x\\", false},
		{"**x/a", false},
		{"*/a", false},
		{"usr/lib", false},
	} {
		if err := validGlob(tc.pattern); (err == nil) != tc.ok {
			t.Errorf("validGlob(%q) = %v, want ok %t", tc.pattern, err, tc.ok)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"/usr/lib/**", "/usr/lib/x/y/z.so", true},
		{"/usr/lib/**", "/usr/lib", true},
		{"/usr/*/x", "/usr/lib/x", true},
		{"/usr/*/x", "/usr/lib/a/x", false},
		{"**/package.json", "/app/node_modules/a/package.json", true},
		{"/a/**/b/**/c", "/a/x/b/y/z/c", true},
		{"/a/[", "/a/[", false},
	} {
		if got := Glob(tc.pattern, tc.name); got != tc.want {
			t.Errorf("Glob(%q, %q) = %t, want %t", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(rulesYAML)
	f.Add("ignore:\n  - id: [1, 2]\n    reason: {a: b}\n")
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := Parse([]byte(s), "fuzz.yaml")
		if err != nil {
			return
		}
		for _, r := range rules {
			if r.Reason == "" {
				t.Fatalf("accepted a rule without a reason: %+v", r)
			}
			_ = r.Matches(Target{ID: "x", Path: "/a/b"})
		}
	})
}
