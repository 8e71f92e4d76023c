package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// storedAnalysis builds the analysis of a realistic image (a Debian base of
// 400 packages, an application of 1,200 npm packages, 3,000 findings, 40
// history steps) and returns it as it would be stored: JSON.
func storedAnalysis(tb testing.TB) []byte {
	tb.Helper()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	in := &gate.Input{
		Image:  gate.Identity{Registry: "docker.io", Repository: "example/app", Tag: "1", OS: "linux", Architecture: "amd64", Size: 412 << 20},
		Config: &image.ConfigView{User: "app", ExposedPorts: []string{"8080/tcp"}, Healthcheck: []string{"CMD", "true"}},
		Distro: &sbom.Distro{ID: "debian", VersionID: "12"}, SBOM: &sbom.SBOM{},
		Vulnerabilities: true, VulnSync: now.Add(-time.Hour), Now: now,
	}
	for i := range 40 {
		h := image.HistoryView{CreatedBy: fmt.Sprintf("/bin/sh -c #(nop)  ENV STEP%d=x", i)}
		if i%4 == 0 {
			l := len(in.Layers)
			h.Layer = &l
			h.CreatedBy = fmt.Sprintf("RUN /bin/sh -c step %d", i)
			in.Layers = append(in.Layers, gate.Layer{Index: l, DiffID: fmt.Sprintf("sha256:%064d", l), CreatedBy: h.CreatedBy})
		}
		in.History = append(in.History, h)
	}
	sevs := []string{"negligible", "low", "medium", "high", "critical", "unknown"}
	for i := range 1600 {
		typ, layer := sbom.TypeDeb, 0
		if i >= 400 {
			typ, layer = sbom.TypeNpm, 1+i%9
		}
		p := sbom.Package{Name: fmt.Sprintf("pkg%d", i), Version: "1.0." + fmt.Sprint(i%7), Type: typ, IntroducedBy: layer,
			Licenses: []string{"MIT"}, Locations: []sbom.Location{{Path: fmt.Sprintf("/p/%d", i), Layer: layer}}}
		in.SBOM.Packages = append(in.SBOM.Packages, p)
	}
	for i := range 3000 {
		p := in.SBOM.Packages[(i*7)%len(in.SBOM.Packages)]
		f := match.Finding{ID: fmt.Sprintf("CVE-2024-%05d", i), SeverityLevel: sevs[i%len(sevs)], FixState: match.NotFixed,
			Package: match.PackageRef{Name: p.Name, Version: p.Version, Type: p.Type, IntroducedBy: p.IntroducedBy, Path: p.Locations[0].Path}}
		if i%3 == 0 {
			f.FixState, f.FixedVersions = match.Fixed, []string{"9.9"}
		}
		in.Findings = append(in.Findings, f)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(in); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkEvaluateDefault evaluates the built-in default policy against a
// stored analysis (decoded once; compiling and evaluating are timed).
func BenchmarkEvaluateDefault(b *testing.B) {
	var in gate.Input
	if err := json.Unmarshal(storedAnalysis(b), &in); err != nil {
		b.Fatal(err)
	}
	e := New(Gates())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		c, err := e.Compile(Default())
		if err != nil {
			b.Fatal(err)
		}
		ev, err := c.Evaluate(ctx, &in, Options{BaseLayers: -1})
		if err != nil {
			b.Fatal(err)
		}
		if ev.FinalAction != STOP {
			b.Fatalf("final action %s, want STOP (fixable high and critical findings)", ev.FinalAction)
		}
	}
}

// BenchmarkEvaluateStored also decodes the stored analysis each time.
func BenchmarkEvaluateStored(b *testing.B) {
	data := storedAnalysis(b)
	e := New(Gates())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var in gate.Input
		if err := json.Unmarshal(data, &in); err != nil {
			b.Fatal(err)
		}
		c, err := e.Compile(Default())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Evaluate(ctx, &in, Options{BaseLayers: -1}); err != nil {
			b.Fatal(err)
		}
	}
}
