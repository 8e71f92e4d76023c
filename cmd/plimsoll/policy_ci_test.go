package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

const ciDir = "../../docs/ci"

// shellWords splits a command line as a POSIX shell would for plain words and
// single- or double-quoted strings (no expansion: $VAR stays as written).
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// plimsollCommands returns the plimsoll command lines of a CI file, joining
// lines continued with a backslash; comment lines are skipped.
func plimsollCommands(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, "//") {
			continue
		}
		for _, prefix := range []string{"- ", "run: ", "command: ", "sh '"} {
			l = strings.TrimPrefix(l, prefix)
		}
		if !strings.HasPrefix(l, "plimsoll ") {
			continue
		}
		for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, "\\") + " " + strings.TrimSpace(lines[i])
		}
		out = append(out, strings.TrimSuffix(l, "'"))
	}
	return out
}

// TestCIExamples checks docs/ci: the YAML parses, the policy validates, every
// plimsoll command line parses with the real command's flags and -o formats,
// and each example installs the binary, updates or imports the database and
// evaluates with a policy.
func TestCIExamples(t *testing.T) {
	if out, stderr, code := run(t, "policy", "validate", filepath.Join(ciDir, "policy.yaml")); code != exitPass {
		t.Fatalf("docs/ci/policy.yaml: exit %d: %s%s", code, out, stderr)
	}
	formats := map[string][]string{
		"evaluate": evaluateFormats,
		"scan":     append([]string{"table", "json", "cyclonedx-json", "sarif", "junit", "template"}, scanPolicyFormats...),
	}
	for _, name := range []string{"github-actions.yml", "gitlab-ci.yml", "circleci-config.yml", "Jenkinsfile"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(ciDir, name))
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			if strings.HasSuffix(name, ".yml") {
				var v map[string]any
				if err := yaml.Unmarshal(b, &v); err != nil {
					t.Fatalf("not YAML: %v", err)
				}
			}
			if !strings.Contains(text, "go install github.com/plimsoll/plimsoll/cmd/plimsoll@") {
				t.Error("does not install the plimsoll binary")
			}
			cmds := plimsollCommands(text)
			var names []string
			for _, line := range cmds {
				args := shellWords(line)[1:]
				root := newRootCommand()
				c, rest, err := root.Find(args)
				if err != nil || c == root {
					t.Errorf("%q: no such command: %v", line, err)
					continue
				}
				if err := c.ParseFlags(rest); err != nil {
					t.Errorf("%q: %v", line, err)
					continue
				}
				if c.Args != nil {
					if err := c.Args(c, c.Flags().Args()); err != nil {
						t.Errorf("%q: %v", line, err)
					}
				}
				if supported, ok := formats[c.Name()]; ok {
					outs, _ := c.Flags().GetStringArray("output")
					if _, err := parseOutputs(outs, supported, "table"); err != nil {
						t.Errorf("%q: %v", line, err)
					}
					if p, _ := c.Flags().GetString("policy"); p == "" {
						t.Errorf("%q: no --policy", line)
					}
				}
				names = append(names, c.Parent().Name()+" "+c.Name())
			}
			if !slices.ContainsFunc(names, func(n string) bool { return n == "db update" || n == "db import" }) {
				t.Errorf("commands %v: the database is neither updated nor imported", names)
			}
			if !slices.ContainsFunc(names, func(n string) bool { return n == "plimsoll evaluate" || n == "plimsoll scan" }) {
				t.Errorf("commands %v: nothing is evaluated", names)
			}
		})
	}
	gh, _ := os.ReadFile(filepath.Join(ciDir, "github-actions.yml"))
	if !strings.Contains(string(gh), "github/codeql-action/upload-sarif@") || !strings.Contains(string(gh), "sarif=plimsoll.sarif") {
		t.Error("github-actions.yml does not upload a SARIF report")
	}
	jf, _ := os.ReadFile(filepath.Join(ciDir, "Jenkinsfile"))
	if !strings.Contains(string(jf), "junit=plimsoll-junit.xml") || !strings.Contains(string(jf), "testResults: 'plimsoll-junit.xml'") {
		t.Error("Jenkinsfile does not publish the JUnit report")
	}
}

func TestPlimsollCommands(t *testing.T) {
	text := "  # plimsoll not this\n  - plimsoll db update\n    sh '''\n  plimsoll evaluate \"registry:$IMAGE\" --tag 'a b' \\\n    -o table\n  '''\n  run: echo plimsoll\n"
	got := plimsollCommands(text)
	want := []string{"plimsoll db update", `plimsoll evaluate "registry:$IMAGE" --tag 'a b'  -o table`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	wantWords := []string{"plimsoll", "evaluate", "registry:$IMAGE", "--tag", "a b", "-o", "table"}
	if diff := cmp.Diff(wantWords, shellWords(want[1])); diff != "" {
		t.Errorf("words (-want +got):\n%s", diff)
	}
}
