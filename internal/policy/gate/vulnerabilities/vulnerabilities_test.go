package vulnerabilities_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/gatetest"
	"github.com/plimsoll/plimsoll/internal/policy/gate/vulnerabilities"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func findings() *gate.Input {
	f := func(id, pkg string, typ sbom.Type, sev string, fixed bool, layer int) match.Finding {
		x := match.Finding{ID: id, SeverityLevel: sev, FixState: match.NotFixed,
			Package: match.PackageRef{Name: pkg, Version: "1", Type: typ, IntroducedBy: layer, Path: "/" + string(typ) + "/" + pkg}}
		if fixed {
			x.FixState, x.FixedVersions = match.Fixed, []string{"2"}
		}
		return x
	}
	in := &gate.Input{Vulnerabilities: true, VulnSync: now.Add(-3 * 24 * time.Hour), Now: now, Findings: []match.Finding{
		f("CVE-1", "openssl", sbom.TypeDeb, "critical", true, 0),
		f("CVE-2", "zlib", sbom.TypeDeb, "medium", false, 0),
		f("CVE-3", "lodash", sbom.TypeNpm, "high", true, 2),
		f("GHSA-4", "left-pad", sbom.TypeNpm, "low", false, 2),
	}}
	in.Findings[0].CVSS = &match.Score{Version: "3.1", Base: 9.8, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
	in.Findings[2].CVSS = &match.Score{Version: "4.0", Base: 8.7}
	in.Findings[2].Severity = []vulndb.Severity{{Type: vulndb.SeverityCVSSv3, Score: "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N"}}
	in.Findings[2].Exploit = match.Exploit{EPSS: &vulndb.EPSS{Score: 0.7, Percentile: 0.99}, KnownExploited: true}
	in.Findings[3].Aliases = []string{"CVE-4"}
	return in
}

func TestPackage(t *testing.T) {
	tests := []struct {
		name string
		args map[string]string
		want []string
	}{
		{"all", nil, []string{"CVE-1+openssl@0", "CVE-2+zlib@0", "CVE-3+lodash@2", "GHSA-4+left-pad@2"}},
		{"high or more", map[string]string{"severity": "High"}, []string{"CVE-1+openssl@0", "CVE-3+lodash@2"}},
		{"exactly medium", map[string]string{"severity": "medium", "severity_comparison": "="}, []string{"CVE-2+zlib@0"}},
		{"below medium", map[string]string{"severity": "medium", "severity_comparison": "<"}, []string{"GHSA-4+left-pad@2"}},
		{"fixed", map[string]string{"fix_available": "true"}, []string{"CVE-1+openssl@0", "CVE-3+lodash@2"}},
		{"not fixed", map[string]string{"fix_available": "false"}, []string{"CVE-2+zlib@0", "GHSA-4+left-pad@2"}},
		{"os", map[string]string{"package_type": "os", "fix_available": "false"}, []string{"CVE-2+zlib@0"}},
		{"non-os", map[string]string{"package_type": "non-os"}, []string{"CVE-3+lodash@2", "GHSA-4+left-pad@2"}},
		{"cvss v3 base", map[string]string{"cvss_v3_base_score": "7"}, []string{"CVE-1+openssl@0"}},
		{"cvss v3 from the record", map[string]string{"cvss_v3_base_score": "6.5", "cvss_v3_base_score_comparison": "="}, []string{"CVE-3+lodash@2"}},
		{"exploitability", map[string]string{"cvss_v3_exploitability_score": "3.9"}, []string{"CVE-1+openssl@0"}},
		{"impact", map[string]string{"cvss_v3_impact_score": "3.6", "cvss_v3_impact_score_comparison": "="}, []string{"CVE-3+lodash@2"}},
		{"vendor base", map[string]string{"vendor_cvss_v3_base_score": "6"}, []string{"CVE-3+lodash@2"}},
		{"vendor impact", map[string]string{"vendor_cvss_v3_impact_score": "5.9"}, nil},
		{"epss", map[string]string{"epss_score": "0.5"}, []string{"CVE-3+lodash@2"}},
		{"epss percentile", map[string]string{"epss_percentile": "0.99", "epss_percentile_comparison": "<"}, nil},
		{"kev", map[string]string{"kev": "true"}, []string{"CVE-3+lodash@2"}},
		{"path exclude", map[string]string{"package_path_exclude": "^/npm/"}, []string{"CVE-1+openssl@0", "CVE-2+zlib@0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gatetest.IDs(gatetest.Run(t, vulnerabilities.New(), "package", tc.args, findings()))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fires (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBlacklist(t *testing.T) {
	got := gatetest.IDs(gatetest.Run(t, vulnerabilities.New(), "blacklist", map[string]string{"vulnerability_ids": "CVE-2, CVE-4"}, findings()))
	if diff := cmp.Diff([]string{"CVE-2+zlib@0", "GHSA-4+left-pad@2"}, got); diff != "" {
		t.Errorf("fires (-want +got):\n%s", diff)
	}
}

func TestFeedData(t *testing.T) {
	tests := []struct {
		name      string
		available bool
		sync      time.Time
		days      string
		stale     bool
		missing   bool
	}{
		{"fresh", true, now.Add(-time.Hour), "2", false, false},
		{"stale", true, now.Add(-3 * 24 * time.Hour), "2", true, false},
		{"never synced", true, time.Time{}, "2", true, false},
		{"no data", false, time.Time{}, "2", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &gate.Input{Vulnerabilities: tc.available, VulnSync: tc.sync, Now: now}
			stale := gatetest.Run(t, vulnerabilities.New(), "stale_feed_data", map[string]string{"max_days_since_sync": tc.days}, in)
			missing := gatetest.Run(t, vulnerabilities.New(), "vulnerability_data_unavailable", nil, in)
			if (len(stale) > 0) != tc.stale || (len(missing) > 0) != tc.missing {
				t.Errorf("stale %v, unavailable %v; want %v, %v", stale, missing, tc.stale, tc.missing)
			}
		})
	}
}

func TestSeverityParam(t *testing.T) {
	tr := gatetest.Trigger(t, vulnerabilities.New(), "package")
	if _, err := gatetest.Compile(tr, map[string]string{"severity": "severe"}); err == nil {
		t.Error("unknown severity accepted")
	}
}

func TestScopeChanged(t *testing.T) {
	in := findings()
	in.Findings = in.Findings[:1]
	in.Findings[0].CVSS.Vector = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N" // NVD: base 5.4, exploitability 2.3, impact 2.7
	for name, want := range map[string]string{"cvss_v3_base_score": "5.4", "cvss_v3_exploitability_score": "2.3", "cvss_v3_impact_score": "2.7"} {
		got := gatetest.Run(t, vulnerabilities.New(), "package", map[string]string{name: want, name + "_comparison": "="}, in)
		if len(got) != 1 {
			t.Errorf("%s = %s did not fire", name, want)
		}
	}
}

func TestMaxDaysSinceCreation(t *testing.T) {
	in := findings()
	in.Published = map[string]time.Time{"CVE-1": now.Add(-2 * 24 * time.Hour), "CVE-2": now.Add(-40 * 24 * time.Hour)}
	got := gatetest.IDs(gatetest.Run(t, vulnerabilities.New(), "package", map[string]string{"max_days_since_creation": "30"}, in))
	want := []string{"CVE-2+zlib@0", "CVE-3+lodash@2", "GHSA-4+left-pad@2"} // CVE-1 is 2 days old; unknown dates count as old
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fires (-want +got):\n%s", diff)
	}
}
