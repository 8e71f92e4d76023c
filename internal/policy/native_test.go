package policy

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseNative(t *testing.T) {
	b, err := ReadFile("testdata/native.yaml")
	if err != nil {
		t.Fatal(err)
	}
	expires := time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
	want := &Bundle{
		ID: "team", Name: "team policy", Version: AnchoreVersion, DefaultAction: WARN, File: "testdata/native.yaml",
		Policies: []Policy{{ID: "main", Rules: []Rule{
			{ID: "no-ssh", Gate: "dockerfile", Trigger: "exposed_ports", Action: STOP, Params: []Param{{"ports", "22,2222"}, {"type", "denylist"}}},
			{ID: "app-vulns", Gate: "vulnerabilities", Trigger: "package", Action: STOP, Layers: "application", Params: []Param{{"severity", "medium"}, {"fix_available", "true"}}},
			{ID: "base-vulns", Gate: "vulnerabilities", Trigger: "package", Action: WARN, Layers: "base", Params: []Param{{"severity", "high"}}},
		}}},
		Whitelists: []Whitelist{{ID: "accepted", Items: []WhitelistItem{{
			ID: "CVE-2018-3721+pkg:npm/lodash@4.17.4", Gate: "vulnerabilities", TriggerID: "CVE-2018-3721+pkg:npm/lodash@4.17.4",
			Reason: "prototype pollution not reachable from our handlers", ExpiresOn: "2099-12-31", Expires: &expires,
		}}}},
		Mappings: []Mapping{{Name: "our apps", Registry: "docker.io", Repository: "example/*", Image: ImageMatch{"tag", "*"},
			PolicyIDs: []string{"main"}, WhitelistIDs: []string{"accepted"}}},
		BlacklistedImages: []ImageSelector{{Name: "known bad", Registry: "*", Repository: "*",
			Image: ImageMatch{"digest", "sha256:0000000000000000000000000000000000000000000000000000000000000000"}}},
	}
	if diff := cmp.Diff(want, b, cmpopts.IgnoreUnexported(Bundle{})); diff != "" {
		t.Errorf("bundle (-want +got):\n%s", diff)
	}
}

func TestParseNativeErrors(t *testing.T) {
	const head = "version: plimsoll/v1\nid: x\ndefault_action: STOP\n"
	rule := func(r string) string { return head + "policies:\n  - id: p\n    rules:\n      - " + r + "\n" }
	tests := []struct{ name, doc, want string }{
		{"version", "version: 1_0\n", `x.yaml:1: version: "1_0" is not "plimsoll/v1"`},
		{"default action required", "version: plimsoll/v1\nid: x\n", "x.yaml:1: default_action: required"},
		{"unknown field", head + "polices: []\n", "x.yaml: line 4: field polices not found"},
		{"action", rule("{gate: always, trigger: always, action: HALT}"), `x.yaml:7: policies[0].rules[0].action: "HALT" is not GO, WARN or STOP`},
		{"param shape", rule("gate: always\n        trigger: always\n        action: GO\n        params: {a: {b: c}}"),
			"x.yaml:10: policies[0].rules[0].params.a: want a value or a list of values"},
		{"reason", head + "allowlists:\n  - id: w\n    items:\n      - {id: i, gate: g, trigger_id: t}\n", "x.yaml:7: allowlists[0].items[0].reason: required"},
		{"expires", head + "allowlists:\n  - id: w\n    items:\n      - id: i\n        gate: g\n        trigger_id: t\n        reason: r\n        expires: soon\n",
			`x.yaml:11: allowlists[0].items[0].expires: "soon" is not`},
		{"one image", head + "mappings:\n  - {registry: '*', repository: '*', tag: '*', digest: sha256:a}\n", "x.yaml:5: mappings[0]: give exactly one of tag, digest or image_id"},
		{"policy reference", head + "mappings:\n  - registry: '*'\n    repository: '*'\n    tag: '*'\n    policies: [nope]\n", `x.yaml:8: mappings[0].policies: no policy has id "nope"`},
		{"syntax", "version: [\n", "x.yaml: yaml:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseNative([]byte(tc.doc), "x.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestNativeCompileErrorLine(t *testing.T) {
	doc := "version: plimsoll/v1\nid: x\ndefault_action: GO\npolicies:\n  - id: p\n    rules:\n      - gate: always\n        trigger: always\n        action: GO\n      - gate: dockerfile\n        trigger: exposed_ports\n        action: STOP\n        params: {ports: 22}\n"
	b, err := ParseNative([]byte(doc), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Gates()).Compile(b)
	want := "x.yaml:10: policies[0].rules[1]: dockerfile/exposed_ports: param type is required"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	b.Policies[0].Rules = b.Policies[0].Rules[:1]
	c, err := New(Gates()).Compile(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"x.yaml:3: default_action GO lets images no mapping matches pass unevaluated"}, c.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestPurlAllowlist(t *testing.T) {
	c := bundle(t, highRule, `{"id":"i","gate":"vulnerabilities","trigger_id":"CVE-2+pkg:npm/lodash@*"}`, "")
	in := input()
	for i := range in.Findings {
		in.Findings[i].Package.PURL = "pkg:npm/" + in.Findings[i].Package.Name + "@1"
	}
	ev, err := c.Evaluate(context.Background(), in, Options{BaseLayers: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := summary{STOP, ReasonPolicy, []string{"CVE-1+openssl STOP", "CVE-2+lodash STOP whitelisted by i"}}
	if diff := cmp.Diff(want, summarise(ev)); diff != "" {
		t.Errorf("evaluation (-want +got):\n%s", diff)
	}
}

func FuzzParseNative(f *testing.F) {
	if b, err := os.ReadFile("testdata/native.yaml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("version: plimsoll/v1\nid: x\ndefault_action: GO\n"))
	e := New(Gates())
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseNative(data, "f.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if _, err := e.Compile(b); err != nil && !strings.HasPrefix(err.Error(), "f.yaml:") {
			t.Fatalf("compile error does not name the file and line: %v", err)
		}
	})
}
