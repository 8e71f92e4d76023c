package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const minimal = `{"id": "b", "version": "1_0",
 "policies": [{"id": "p", "rules": [{"id": "r", "gate": "always", "trigger": "always", "action": "go"}]}],
 "whitelists": [{"id": "w", "items": [{"id": "i", "gate": "vulnerabilities", "trigger_id": "CVE-1+*", "expires_on": "2030-01-02T00:00:00Z"}]}],
 "mappings": [{"registry": "*", "repository": "*", "image": {"type": "tag", "value": "*"}, "policy_id": "p", "whitelist_ids": ["w"]}]}`

func TestParseAnchore(t *testing.T) {
	b, err := ParseAnchore([]byte(minimal), "m.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Policies[0].Rules[0].Action; got != GO {
		t.Errorf("action %q, want GO (upper-cased)", got)
	}
	want := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	if e := b.Whitelists[0].Items[0].Expires; e == nil || !e.Equal(want) {
		t.Errorf("expires %v, want %v", e, want)
	}
	if diff := cmp.Diff([]string{"p"}, b.Mappings[0].Policies()); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}
}

func TestParseAnchoreTestdata(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.json")
	yamls, _ := filepath.Glob("testdata/*.yaml")
	paths = append(append(paths, yamls...), "default.json")
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			b, err := ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := New(Gates()).Compile(b); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestParseAnchoreErrors(t *testing.T) {
	rule := func(r string) string {
		return `{"id":"b","version":"1_0","policies":[{"id":"p","rules":[` + r + `]}],"mappings":[]}`
	}
	tests := []struct{ name, doc, want string }{
		{"syntax", "{\n\"id\": ,}", "x.json:2: invalid character"},
		{"type", `{"id": "b", "version": "1_0", "policies": [{"id": 3}]}`, "x.json:1: policies.id: number is not a string"},
		{"version", `{"id":"b","version":"2"}`, `x.json:1: version: "2" is not a supported bundle version`},
		{"id", `{"version":"1_0"}`, "x.json:1: id: missing"},
		{"action", rule(`{"gate":"always","trigger":"always","action":"HALT"}`), `x.json:1: policies[0].rules[0].action: "HALT" is not GO, WARN or STOP`},
		{"gate", rule(`{"trigger":"always","action":"GO"}`), "policies[0].rules[0].gate: missing"},
		{"layers", rule(`{"gate":"a","trigger":"a","action":"GO","layers":"top"}`), `policies[0].rules[0].layers: "top" is not`},
		{"param value", rule(`{"gate":"a","trigger":"a","action":"GO","params":[{"name":"x","value":[1]}]}`), `param "x": param value must be`},
		{"duplicate policy", `{"id":"b","version":"1_0","policies":[{"id":"p"},{"id":"p"}]}`, `policies[1].id: "p" is used by another policy`},
		{"expiry", `{"id":"b","version":"1_0","whitelists":[{"id":"w","items":[{"gate":"g","trigger_id":"t","expires_on":"soon"}]}]}`, `whitelists[0].items[0].expires_on: "soon" is not`},
		{"mapping policy", `{"id":"b","version":"1_0","mappings":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"},"policy_id":"nope"}]}`, `mappings[0].policy_ids: no policy has id "nope"`},
		{"mapping type", `{"id":"b","version":"1_0","mappings":[{"registry":"*","repository":"*","image":{"type":"name","value":"*"}}]}`, `mappings[0].image.type: "name" is not tag, digest or id`},
		{"regexp", `{"id":"b","version":"1_0","blacklisted_images":[{"registry":"regexp:(","repository":"*","image":{"type":"tag","value":"*"}}]}`, "blacklisted_images[0].registry: bad regular expression"},
		{"trailing", `{"id":"b","version":"1_0"} {}`, "trailing data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAnchore([]byte(tc.doc), "x.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	doc := func(r string) string {
		return `{"id":"b","version":"1_0","policies":[{"id":"p","rules":[` + r + `]}]}`
	}
	tests := []struct{ name, rule, want string }{
		{"gate", `{"id":"r1","gate":"nope","trigger":"x","action":"GO"}`, `x.json:1: policies[0].rules[0] (id r1): gate "nope" is unknown`},
		{"trigger", `{"gate":"dockerfile","trigger":"nope","action":"GO"}`, `gate dockerfile has no trigger "nope"`},
		{"unknown param", `{"gate":"always","trigger":"always","action":"GO","params":[{"name":"x","value":"1"}]}`, `param "x": the trigger takes no parameters`},
		{"required", `{"gate":"dockerfile","trigger":"exposed_ports","action":"GO","params":[{"name":"type","value":"blacklist"}]}`, "param ports is required"},
		{"enum", `{"gate":"dockerfile","trigger":"exposed_ports","action":"GO","params":[{"name":"ports","value":"22"},{"name":"type","value":"deny"}]}`, `param type: "deny" is not one of whitelist`},
		{"int", `{"gate":"vulnerabilities","trigger":"stale_feed_data","action":"GO","params":[{"name":"max_days_since_sync","value":"two"}]}`, `param max_days_since_sync: "two" is not an integer`},
		{"severity", `{"gate":"vulnerabilities","trigger":"package","action":"GO","params":[{"name":"severity","value":"awful"}]}`, `severity "awful"`},
		{"size", `{"gate":"metadata","trigger":"attribute","action":"GO","params":[{"name":"attribute","value":"size"},{"name":"check","value":">"},{"name":"value","value":"3 parsecs"}]}`, `unknown size unit`},
		{"missing value", `{"gate":"dockerfile","trigger":"instruction","action":"GO","params":[{"name":"instruction","value":"FROM"},{"name":"check","value":"like"}]}`, "check like needs a value"},
		{"regexp", `{"gate":"files","trigger":"name_match","action":"GO","params":[{"name":"regex","value":"("}]}`, "param regex: bad regular expression"},
		{"twice", `{"gate":"files","trigger":"name_match","action":"GO","params":[{"name":"regex","value":"a"},{"name":"regex","value":"b"}]}`, `param "regex" is given twice`},
		{"secret name", `{"gate":"secret_scans","trigger":"content_regex_checks","action":"GO","params":[{"name":"content_regex_name","value":"X"}]}`, `content_regex_name "X" is not a built-in pattern`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ParseAnchore([]byte(doc(tc.rule)), "x.json")
			if err != nil {
				t.Fatal(err)
			}
			_, err = New(Gates()).Compile(b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestAnchoreErrorLines: validation and compile errors of a multi-line
// Anchore bundle name the line of the field (or of its nearest parent).
func TestAnchoreErrorLines(t *testing.T) {
	doc := `{
  "id": "b",
  "version": "1_0",
  "policies": [
    {
      "id": "p",
      "rules": [
        {"id": "ok", "gate": "always", "trigger": "always", "action": "GO"},
        {
          "id": "r2",
          "gate": "dockerfile",
          "trigger": "exposed_ports",
          "action": "STOP",
          "params": [
            {"name": "ports", "value": "22"},
            {"name": "type", "value": "deny"}
          ]
        }
      ]
    }
  ],
  "whitelists": [{"id": "w", "items": [
    {"id": "i", "gate": "g", "trigger_id": "t",
     "expires_on": "soon"}]}],
  "mappings": []
}`
	_, err := ParseAnchore([]byte(doc), "x.json")
	if want := `x.json:24: whitelists[0].items[0].expires_on: "soon"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want it to contain %q", err, want)
	}
	fixed := strings.Replace(doc, `"soon"`, `"2030-01-01"`, 1)
	b, err := ParseAnchore([]byte(fixed), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Gates()).Compile(b)
	if want := `x.json:9: policies[0].rules[1] (id r2): dockerfile/exposed_ports: param type: "deny"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("compile error %v, want it to contain %q", err, want)
	}
}

func TestJSONLines(t *testing.T) {
	doc := "{\n \"a\": [\n  {\"b\": 1},\n  2\n ],\n \"c\": {\n  \"d\": \"x\"}}"
	want := map[string]int{"a": 2, "a[0]": 3, "a[0].b": 3, "a[1]": 4, "c": 6, "c.d": 7}
	if diff := cmp.Diff(want, jsonLines([]byte(doc))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func FuzzParseAnchore(f *testing.F) {
	f.Add([]byte(minimal))
	if b, err := os.ReadFile("default.json"); err == nil {
		f.Add(b)
	}
	paths, _ := filepath.Glob("testdata/*.json")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	e := New(Gates())
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseAnchore(data, "f.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if _, err := e.Compile(b); err != nil {
			if !strings.HasPrefix(err.Error(), "f.json") {
				t.Fatalf("compile error does not name the file: %v", err)
			}
			return
		}
		// A valid bundle converts to the native form and reads back with the
		// same rules and parameter text.
		y, err := ToNative(b)
		if err != nil {
			t.Fatalf("ToNative: %v", err)
		}
		back, err := ParseNative(y, "f.yaml")
		if err != nil {
			t.Fatalf("converted bundle does not parse: %v\n%s", err, y)
		}
		if diff := cmp.Diff(b.Policies, back.Policies, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("policies changed by conversion (-anchore +native):\n%s\n%s", diff, y)
		}
	})
}
