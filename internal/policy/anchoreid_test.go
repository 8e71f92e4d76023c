package policy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// anchoreCases are rules of every gate and the trigger_id Anchore Engine gave
// their firing on anchoreInput: the hex MD5 of gate, trigger and Anchore's
// message (computed outside Go, with md5sum), or Anchore's own ID.
var anchoreCases = []struct {
	gate, rule, id, message string
}{
	{"dockerfile", `"trigger":"exposed_ports","params":[{"name":"ports","value":"22"},{"name":"type","value":"blacklist"}]`,
		"cc05c35507995b4a657b63f9b0baa281", "Dockerfile exposes port (22) which is in policy file DENIEDPORTS list"},
	{"dockerfile", `"trigger":"effective_user","params":[{"name":"users","value":"root"},{"name":"type","value":"blacklist"}]`,
		"68e630cef4a8533b139875aa5fc54da5", "User root found as effective user, which is explicity not allowed list"},
	{"dockerfile", `"trigger":"instruction","params":[{"name":"instruction","value":"HEALTHCHECK"},{"name":"check","value":"not_exists"}]`,
		"41cb7cdf04850e33a11f80c42bf660b3", "Dockerfile directive 'HEALTHCHECK' not found, matching condition 'not_exists' check"},
	{"dockerfile", `"trigger":"instruction","params":[{"name":"instruction","value":"RUN"},{"name":"check","value":"like"},{"name":"value","value":".*openssh.*"}]`,
		"ae6d55fdad2d7059192b039b72a5e20b", "Dockerfile directive 'RUN' check 'like' matched against '.*openssh.*' for line 'apt-get install -y openssh-server'"},
	{"packages", `"trigger":"blacklist","params":[{"name":"name","value":"openssh-server"}]`,
		"80d99b45cd2bd067ef9e0ae4f7736a4b", "Package is blacklisted: openssh-server"},
	{"packages", `"trigger":"required_package","params":[{"name":"name","value":"ca-certificates"}]`,
		"3c1b2e4f4ccf21c0cebe1606bc10569e", "Required input package (ca-certificates) is not present in container image"},
	{"licenses", `"trigger":"blacklist_exact_match","params":[{"name":"licenses","value":"GPL-3.0-only"}]`,
		"6524d88028888ad9b896f0f9d13cdae2", "LICFULLMATCH Packages are installed that have blacklisted licenses: openssh-server(GPL-3.0-only)"},
	{"files", `"trigger":"suid_or_guid_set"`,
		"320a97c6816565eedf3545833df99dd0", "SUID or SGID found set on file /usr/bin/su. Mode: 0o104755"},
	{"files", `"trigger":"name_match","params":[{"name":"regex","value":"/su$"}]`,
		"052c2c15fd7a89b9c58ed678b6c3afdc", "Application of regex matched file found in container: file=/usr/bin/su regexp=/su$"},
	{"passwd_file", `"trigger":"blacklist_usernames","params":[{"name":"user_names","value":"sshd"}]`,
		"2e12f8817b65538e5f99e0308279910e", "Blacklisted user 'sshd' found in image's /etc/passwd: pentry=sshd:x:100:65534::/run/sshd:/usr/sbin/nologin"},
	{"metadata", `"trigger":"attribute","params":[{"name":"attribute","value":"distro"},{"name":"check","value":"="},{"name":"value","value":"debian"}]`,
		"928b8f0784891909924a08e7891beb35", "Attribute check for attribute: 'distro' check: '=' check_value: 'debian' matched image value: 'debian'"},
	{"vulnerabilities", `"trigger":"stale_feed_data","params":[{"name":"max_days_since_sync","value":"2"}]`,
		"deb3f1afb4ea0ddf587e6c62c341c6fa", "The vulnerability feed for this image distro is older than MAXAGE (2) days"},
	{"vulnerabilities", `"trigger":"blacklist","params":[{"name":"vulnerability_ids","value":"CVE-1"}]`,
		"36e3b0fd8fdb4995b7b9459ca2fbeaa8", "Blacklisted vulnerabilities detected: ['CVE-1']"},
	{"vulnerabilities", `"trigger":"package","params":[{"name":"severity","value":"high"},{"name":"package_type","value":"all"}]`,
		"CVE-1+openssl", "(Anchore's own ID)"},
	{"always", `"trigger":"always"`, "always", "(Anchore's own ID)"},
}

// anchoreInput is an image with the defects the rules above look for.
func anchoreInput() *gate.Input {
	in := input()
	in.Findings = in.Findings[:1] // CVE-1 in openssl
	in.VulnSync = now.Add(-72 * time.Hour)
	in.Distro = &sbom.Distro{ID: "debian", VersionID: "12"}
	in.Config = &image.ConfigView{ExposedPorts: []string{"22/tcp"}}
	in.Dockerfile, in.DockerfileActual = "FROM debian:12\nEXPOSE 22\nRUN apt-get install -y openssh-server\n", true
	in.SBOM.Packages = []sbom.Package{{ID: "p1", Name: "openssh-server", Version: "1:9.2p1-2", Type: sbom.TypeDeb, Licenses: []string{"GPL-3.0-only"}}}
	in.FS = gatetest.FS{
		gatetest.Reg("/usr/bin/su", 0, 0o4755, ""),
		gatetest.Reg("/etc/passwd", 0, 0o644, "root:x:0:0:root:/root:/bin/bash\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n"),
	}
	return in
}

func anchoreRules() string {
	var rules []string
	for _, c := range anchoreCases {
		rules = append(rules, `{"gate":"`+c.gate+`",`+c.rule+`,"action":"STOP"}`)
	}
	return strings.Join(rules, ",")
}

// TestAnchoreWhitelistIDs: an Anchore bundle's whitelist items naming the
// trigger IDs Anchore Engine gave (hashes of its messages) whitelist the same
// results here, gate by gate.
func TestAnchoreWhitelistIDs(t *testing.T) {
	var items []string
	for i, c := range anchoreCases {
		items = append(items, `{"id":"i`+string(rune('a'+i))+`","gate":"`+c.gate+`","trigger_id":"`+c.id+`"}`)
	}
	c := bundle(t, anchoreRules(), strings.Join(items, ","), "")
	ev, err := c.Evaluate(context.Background(), anchoreInput(), Options{BaseLayers: -1})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, r := range ev.Results {
		id := r.TriggerID
		if r.AnchoreTriggerID != "" {
			id = r.AnchoreTriggerID
		}
		got = append(got, r.Gate+" "+id+" "+allowed(r))
	}
	for _, c := range anchoreCases {
		want = append(want, c.gate+" "+c.id+" whitelisted")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if ev.FinalAction != GO {
		t.Errorf("final action %s, want GO: every result is whitelisted", ev.FinalAction)
	}
}

func allowed(r Result) string {
	if r.Whitelisted {
		return "whitelisted"
	}
	return "not whitelisted"
}

// TestAnchoreWhitelistIgnoresStableIDs: an Anchore whitelist names Anchore's
// IDs only (plus the purl form for vulnerabilities); plimsoll's stable ID of a
// hashed trigger whitelists nothing there, as it would not in Anchore.
func TestAnchoreWhitelistIgnoresStableIDs(t *testing.T) {
	c := bundle(t, `{"gate":"dockerfile","trigger":"exposed_ports","action":"STOP","params":[{"name":"ports","value":"22"},{"name":"type","value":"blacklist"}]}`,
		`{"id":"i","gate":"dockerfile","trigger_id":"22"}`, "")
	ev, err := c.Evaluate(context.Background(), anchoreInput(), Options{BaseLayers: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Results) != 1 || ev.Results[0].Whitelisted || ev.Results[0].TriggerID != "22" {
		t.Errorf("results %+v", ev.Results)
	}
}

// TestNativeAllowlistIDForms: a native allowlist names stable IDs, unless it
// says trigger_ids: anchore (as convert writes an Anchore bundle's whitelists).
func TestNativeAllowlistIDForms(t *testing.T) {
	doc := `version: plimsoll/v1
id: n
default_action: STOP
policies:
  - id: p
    rules:
      - {gate: dockerfile, trigger: exposed_ports, action: STOP, params: {ports: "22", type: denylist}}
allowlists:
  - id: stable
    items:
      - {id: a, gate: dockerfile, trigger_id: "22", reason: r}
  - id: anchore
    trigger_ids: anchore
    items:
      - {id: b, gate: dockerfile, trigger_id: cc05c35507995b4a657b63f9b0baa281, reason: r}
mappings:
  - {registry: "*", repository: "*", tag: "*", policies: [p], allowlists: [ALLOW]}
`
	for _, list := range []string{"stable", "anchore"} {
		b, err := ParseNative([]byte(strings.Replace(doc, "ALLOW", list, 1)), "n.yaml")
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(Gates()).Compile(b)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := c.Evaluate(context.Background(), anchoreInput(), Options{BaseLayers: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.Results) != 1 || !ev.Results[0].Whitelisted || ev.Results[0].AllowedBy.Whitelist != list {
			t.Errorf("%s: results %+v", list, ev.Results)
		}
	}
	if _, err := ParseNative([]byte(strings.Replace(strings.Replace(doc, "ALLOW", "stable", 1), "trigger_ids: anchore", "trigger_ids: md5", 1)), "n.yaml"); err == nil ||
		!strings.Contains(err.Error(), `allowlists[1].trigger_ids: "md5" is not stable or anchore`) {
		t.Errorf("bad trigger_ids: %v", err)
	}
}

// TestConvertKeepsAnchoreIDs: converting an Anchore bundle marks its
// allowlists trigger_ids: anchore, so its items keep whitelisting.
func TestConvertKeepsAnchoreIDs(t *testing.T) {
	c := bundle(t, anchoreRules(), `{"id":"i","gate":"files","trigger_id":"320a97c6816565eedf3545833df99dd0"}`, "")
	out, err := ToNative(c.Bundle)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "trigger_ids: anchore") {
		t.Fatalf("converted bundle lacks trigger_ids: anchore:\n%s", out)
	}
	b, err := ParseNative(out, "converted.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Whitelists[0].AnchoreIDs {
		t.Error("the converted allowlist does not name Anchore IDs")
	}
}
