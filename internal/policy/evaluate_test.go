package policy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func TestSelects(t *testing.T) {
	id := gate.Identity{}
	if err := ParseTag("dockerhub/library/nginx:1.25-alpine", &id); err != nil {
		t.Fatal(err)
	}
	id.Digest, id.ID = "sha256:aaa", "sha256:bbb"
	if id.Registry != "docker.io" || id.Repository != "library/nginx" || id.Tag != "1.25-alpine" {
		t.Fatalf("identity %+v", id)
	}
	tests := []struct {
		name, registry, repo, typ, value string
		want                             bool
	}{
		{"all", "*", "*", "tag", "*", true},
		{"docker.io", "docker.io", "library/nginx", "tag", "1.25-alpine", true},
		{"dockerhub", "dockerhub", "nginx", "tag", "*", true},
		{"short repository", "docker.io", "nginx", "tag", "*", true},
		{"tag glob", "*", "*nginx", "tag", "1.*-alpine", true},
		{"tag glob miss", "*", "*", "tag", "2.*", false},
		{"regexp tag", "*", "*", "tag", `regexp:1\.[0-9]+-alpine`, true},
		{"regexp is anchored", "*", "*", "tag", "regexp:1", false},
		{"regexp repository", "*", "regexp:library/(nginx|httpd)", "tag", "*", true},
		{"other registry", "quay.io", "*", "tag", "*", false},
		{"digest", "*", "*", "digest", "sha256:aaa", true},
		{"digest without prefix", "*", "*", "digest", "aaa", true},
		{"digest miss", "*", "*", "digest", "sha256:bbb", false},
		{"id", "*", "*", "id", "bbb", true},
		{"glob needs whole value", "*", "library", "tag", "*", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := selects(tc.registry, tc.repo, ImageMatch{Type: tc.typ, Value: tc.value}, &id); got != tc.want {
				t.Errorf("selects = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		p, v string
		want bool
	}{
		{"*", "", true}, {"a*", "abc", true}, {"*c", "abc", true}, {"a*c", "abc", true}, {"a*c", "ab", false},
		{"CVE-1+*", "CVE-1+openssl", true}, {"CVE-1+*", "CVE-10+openssl", false}, {"a*b*c", "aXbYc", true},
		{"a*b*c", "acb", false}, {"abc", "abc", true}, {"abc", "abcd", false}, {"**", "x", true},
	}
	for _, tc := range tests {
		if got := glob(tc.p, tc.v); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.p, tc.v, got, tc.want)
		}
	}
}

// bundle writes a bundle around rules, whitelist items and image lists.
func bundle(t *testing.T, rules, items, extra string) *Compiled {
	t.Helper()
	doc := `{"id":"b","version":"1_0","policies":[{"id":"p","rules":[` + rules + `]}],
	"whitelists":[{"id":"w","items":[` + items + `]}],
	"mappings":[{"name":"m","registry":"*","repository":"app*","image":{"type":"tag","value":"*"},"policy_id":"p","whitelist_ids":["w"]}]` + extra + `}`
	b, err := ParseAnchore([]byte(doc), "t.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Gates()).Compile(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func input() *gate.Input {
	in := &gate.Input{
		Image:           gate.Identity{Registry: "docker.io", Repository: "app", Tag: "1"},
		Layers:          []gate.Layer{{Index: 0, DiffID: "sha256:base", CreatedBy: "ADD rootfs /"}, {Index: 1, DiffID: "sha256:app", CreatedBy: "COPY app /app"}},
		SBOM:            &sbom.SBOM{},
		Vulnerabilities: true, VulnSync: now, Now: now,
	}
	add := func(id, name, sev string, layer int) {
		in.Findings = append(in.Findings, match.Finding{ID: id, SeverityLevel: sev, FixState: match.Fixed, FixedVersions: []string{"9"},
			Package: match.PackageRef{Name: name, Version: "1", Type: sbom.TypeNpm, IntroducedBy: layer, Path: "/" + name}})
	}
	add("CVE-1", "openssl", "high", 0)
	add("CVE-2", "lodash", "critical", 1)
	add("CVE-3", "lodash", "medium", 1)
	return in
}

const highRule = `{"id":"hi","gate":"vulnerabilities","trigger":"package","action":"STOP","params":[{"name":"severity","value":"high"}]}`
const mediumRule = `{"gate":"vulnerabilities","trigger":"package","action":"WARN","params":[{"name":"severity","value":"medium"},{"name":"severity_comparison","value":"="}]}`

type summary struct {
	Final   Action
	Reason  string
	Results []string // triggerId action [whitelisted by item]
}

func summarise(ev *Evaluation) summary {
	s := summary{Final: ev.FinalAction, Reason: ev.Reason}
	for _, r := range ev.Results {
		line := r.TriggerID + " " + string(r.Action)
		if r.AllowedBy != nil {
			state := "whitelisted by "
			if r.AllowedBy.Expired {
				state = "expired "
			}
			line += " " + state + r.AllowedBy.Item
		}
		s.Results = append(s.Results, line)
	}
	return s
}

func TestEvaluate(t *testing.T) {
	liveCVE2 := `{"id":"i2","gate":"vulnerabilities","trigger_id":"CVE-2+*"}`
	expiredCVE1 := `{"id":"i1","gate":"vulnerabilities","trigger_id":"CVE-1+openssl","expires_on":"2026-01-01"}`
	tests := []struct {
		name         string
		rules, items string
		extra        string
		repo         string
		base         int
		want         summary
	}{
		{name: "strictest action", rules: highRule + "," + mediumRule, base: -1, want: summary{STOP, ReasonPolicy,
			[]string{"CVE-1+openssl STOP", "CVE-2+lodash STOP", "CVE-3+lodash WARN"}}},
		{name: "whitelist glob and expired item", rules: highRule + "," + mediumRule, items: liveCVE2 + "," + expiredCVE1, base: -1,
			want: summary{STOP, ReasonPolicy, []string{"CVE-1+openssl STOP expired i1", "CVE-2+lodash STOP whitelisted by i2", "CVE-3+lodash WARN"}}},
		{name: "everything whitelisted", rules: highRule, items: liveCVE2 + `,{"id":"i3","gate":"VULNERABILITIES","trigger_id":"CVE-1+openssl"}`, base: -1,
			want: summary{GO, ReasonPolicy, []string{"CVE-1+openssl STOP whitelisted by i3", "CVE-2+lodash STOP whitelisted by i2"}}},
		{name: "item of another gate", rules: highRule, items: `{"id":"x","gate":"packages","trigger_id":"*"}`, base: -1,
			want: summary{STOP, ReasonPolicy, []string{"CVE-1+openssl STOP", "CVE-2+lodash STOP"}}},
		{name: "base layers", rules: strings.Replace(highRule, `"action"`, `"layers":"base","action"`, 1), base: 1,
			want: summary{STOP, ReasonPolicy, []string{"CVE-1+openssl STOP"}}},
		{name: "application layers", rules: strings.Replace(mediumRule, `"action"`, `"layers":"application","action"`, 1), base: 1,
			want: summary{WARN, ReasonPolicy, []string{"CVE-3+lodash WARN"}}},
		{name: "whitelisted image", rules: highRule, base: -1,
			extra: `,"whitelisted_images":[{"name":"trusted","registry":"*","repository":"app","image":{"type":"tag","value":"*"}}]`,
			want:  summary{GO, ReasonWhitelisted, []string{"CVE-1+openssl STOP", "CVE-2+lodash STOP"}}},
		{name: "blacklist beats whitelist", rules: `{"gate":"always","trigger":"always","action":"GO"}`, base: -1,
			extra: `,"whitelisted_images":[{"registry":"*","repository":"*","image":{"type":"tag","value":"*"}}],"blacklisted_images":[{"registry":"docker.io","repository":"app","image":{"type":"tag","value":"1"}}]`,
			want:  summary{STOP, ReasonBlacklisted, []string{"always GO"}}},
		{name: "unmapped", rules: highRule, repo: "other", base: -1, want: summary{GO, ReasonUnmapped, nil}},
		{name: "unmapped default action", rules: highRule, repo: "other", base: -1, extra: `,"default_action":"warn"`, want: summary{WARN, ReasonUnmapped, nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := bundle(t, tc.rules, tc.items, tc.extra)
			in := input()
			if tc.repo != "" {
				in.Image.Repository = tc.repo
			}
			ev, err := c.Evaluate(context.Background(), in, Options{BaseLayers: tc.base})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarise(ev)); diff != "" {
				t.Errorf("evaluation (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateDetails(t *testing.T) {
	c := bundle(t, highRule, "", "")
	ev, err := c.Evaluate(context.Background(), input(), Options{BaseLayers: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := ev.Results[1]
	want := Result{Policy: "p", RuleID: "hi", Gate: "vulnerabilities", Trigger: "package", TriggerID: "CVE-2+lodash",
		Detail: "CRITICAL CVE-2 in lodash 1 (/lodash): fixed in 9", Action: STOP, Layer: 1, DiffID: "sha256:app", CreatedBy: "COPY app /app", Path: "/lodash"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if ev.Mapping != "m" || ev.Bundle != "b" {
		t.Errorf("mapping %q bundle %q", ev.Mapping, ev.Bundle)
	}
}

func TestEvaluateUnknownBase(t *testing.T) {
	c := bundle(t, strings.Replace(highRule, `"action"`, `"layers":"base","action"`, 1), "", "")
	_, err := c.Evaluate(context.Background(), input(), Options{BaseLayers: -1})
	if err == nil || !strings.Contains(err.Error(), "--base-layers") {
		t.Errorf("error %v, want one asking for --base-layers", err)
	}
}

func TestUnmappedWarns(t *testing.T) {
	c := bundle(t, highRule, "", "")
	in := input()
	in.Image.Repository = "other"
	ev, err := c.Evaluate(context.Background(), in, Options{BaseLayers: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Warnings) != 1 || !strings.Contains(ev.Warnings[0], "no mapping") {
		t.Errorf("warnings %q, want one about no mapping", ev.Warnings)
	}
}

// TestFormerlyUnsupportedParams: max_days_since_fix and vendor_only are
// evaluated now, so they no longer warn.
func TestFormerlyUnsupportedParams(t *testing.T) {
	c := bundle(t, `{"gate":"vulnerabilities","trigger":"package","action":"STOP","params":[{"name":"max_days_since_fix","value":"30"},{"name":"fix_available","value":"true"},{"name":"vendor_only","value":"false"}]}`, "", "")
	ev, err := c.Evaluate(context.Background(), input(), Options{BaseLayers: -1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string(nil), ev.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
