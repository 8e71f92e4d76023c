package report

import (
	"fmt"
	"io"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/cyclonedx"
)

// WriteCycloneDX writes the image's CycloneDX 1.6 SBOM with the scan's findings
// as its vulnerabilities: each names the package it affects by bom-ref, carries
// the CVSS rating plimsoll computed, the aliases as references and the nearest
// fix as the recommendation. Findings a VEX statement suppressed are included
// with analysis state not_affected; ignored ones are left out.
func WriteCycloneDX(w io.Writer, doc *sbom.SBOM, rep *Scan, toolVersion string) error {
	bom, err := cyclonedx.Encoder{ToolVersion: toolVersion}.BOM(doc)
	if err != nil {
		return fmt.Errorf("encode cyclonedx: %w", err)
	}
	vulns := make([]cdx.Vulnerability, 0, len(rep.Findings)+len(rep.Suppressed))
	for _, f := range rep.Findings {
		vulns = append(vulns, cdxVulnerability(f))
	}
	for _, s := range rep.Suppressed {
		v := cdxVulnerability(s.Finding)
		v.Analysis = &cdx.VulnerabilityAnalysis{
			State:         cdx.IASNotAffected,
			Justification: cdxJustification(s.Statement.Justification),
			Detail:        "VEX: " + s.Statement.Source,
		}
		vulns = append(vulns, v)
	}
	bom.Vulnerabilities = &vulns
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(bom); err != nil {
		return fmt.Errorf("encode cyclonedx: %w", err)
	}
	return nil
}

var cdxMethods = map[string]cdx.ScoringMethod{
	"2.0": cdx.ScoringMethodCVSSv2, "3.0": cdx.ScoringMethodCVSSv3, "3.1": cdx.ScoringMethodCVSSv31, "4.0": cdx.ScoringMethodCVSSv4,
}

func cdxVulnerability(f Finding) cdx.Vulnerability {
	v := cdx.Vulnerability{
		BOMRef:      f.ID + "/" + f.Package.ID,
		ID:          f.ID,
		Description: f.Summary,
		Affects: &[]cdx.Affects{{Ref: f.Package.ID, Range: &[]cdx.AffectedVersions{
			{Version: f.Package.Version, Status: cdx.VulnerabilityStatusAffected},
		}}},
		Properties: &[]cdx.Property{
			{Name: "plimsoll:fixState", Value: f.FixState},
			{Name: "plimsoll:ecosystem", Value: f.Ecosystem},
			{Name: "plimsoll:introducedBy", Value: fmt.Sprint(f.Package.IntroducedBy)},
		},
	}
	if !f.InFinalImage() {
		*v.Properties = append(*v.Properties, cdx.Property{Name: "plimsoll:squashed", Value: "false"},
			cdx.Property{Name: "plimsoll:removedBy", Value: fmt.Sprint(f.RemovedBy)})
	}
	if f.NearestFix != "" {
		v.Recommendation = "Upgrade " + f.Package.Name + " to " + f.NearestFix + " or later."
	}
	refs := make([]cdx.VulnerabilityReference, 0, len(f.Aliases))
	for _, a := range f.Aliases {
		refs = append(refs, cdx.VulnerabilityReference{ID: a, Source: &cdx.Source{Name: "OSV"}})
	}
	if len(refs) > 0 {
		v.References = &refs
	}
	rating := cdx.VulnerabilityRating{Severity: cdx.Severity(f.SeverityLevel)}
	if f.SeverityLevel == "negligible" {
		rating.Severity = cdx.SeverityNone
	}
	if f.CVSS != nil {
		score := f.CVSS.Base
		rating.Score, rating.Method, rating.Vector = &score, cdxMethods[f.CVSS.Version], f.CVSS.Vector
		rating.Source = &cdx.Source{Name: f.CVSS.Source}
	}
	v.Ratings = &[]cdx.VulnerabilityRating{rating}
	if f.Exploit.KnownExploited {
		*v.Properties = append(*v.Properties, cdx.Property{Name: "plimsoll:kev", Value: "true"})
	}
	if e := f.Exploit.EPSS; e != nil {
		*v.Properties = append(*v.Properties, cdx.Property{Name: "plimsoll:epss", Value: fmt.Sprintf("%.5f", e.Score)})
	}
	return v
}

// cdxJustification maps a VEX justification to CycloneDX's vocabulary: OpenVEX's
// terms to their nearest CycloneDX ones; anything unknown is left out rather than
// written invalid.
func cdxJustification(j string) cdx.ImpactAnalysisJustification {
	switch j {
	case "code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
		"requires_environment", "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
		"protected_by_mitigating_control":
		return cdx.ImpactAnalysisJustification(j)
	case "component_not_present", "vulnerable_code_not_present":
		return cdx.IAJCodeNotPresent
	case "vulnerable_code_not_in_execute_path":
		return cdx.IAJCodeNotReachable
	case "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist":
		return cdx.IAJProtectedByMitigatingControl
	}
	return ""
}
