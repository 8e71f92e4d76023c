// Package vex reads VEX documents — OpenVEX and CycloneDX VEX — into statements
// that say a vulnerability does not affect a product (not_affected, or fixed),
// so a scan can suppress what a supplier or the team has already assessed.
// Other statuses (affected, under investigation) are read and never suppress.
// When several statements speak of one finding, the most recent one decides
// (Resolve), as OpenVEX prescribes.
package vex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Status is a statement's verdict, normalised across formats.
type Status string

// The statuses; only NotAffected and Fixed suppress findings.
const (
	NotAffected        Status = "not_affected"
	Fixed              Status = "fixed"
	Affected           Status = "affected"
	UnderInvestigation Status = "under_investigation"
)

// Statement is one VEX statement: a vulnerability, the products it speaks of,
// the verdict and when it was made.
type Statement struct {
	Vulnerability string   `json:"vulnerability"`
	Aliases       []string `json:"aliases,omitempty"`
	// Products are purls, image references and digests the statement covers
	// whole: an image here covers every package in it.
	Products []string `json:"products"`
	// Scoped are products named with subcomponents: the statement covers only
	// those components, and only inside that product.
	Scoped        []ScopedProduct `json:"scopedProducts,omitempty"`
	Status        Status          `json:"status"`
	Justification string          `json:"justification,omitempty"`
	Impact        string          `json:"impactStatement,omitempty"`
	// Timestamp is when the statement was last made (OpenVEX: last_updated
	// when later, else timestamp, else the document's timestamp; CycloneDX:
	// analysis.lastUpdated, else firstIssued); zero when the document does
	// not say, and then the statement counts as older than any dated one.
	Timestamp time.Time `json:"timestamp,omitzero"`
	Source    string    `json:"source"` // the document it came from
}

// ScopedProduct is a product with subcomponents (OpenVEX): the product's
// identifiers (@id, purl) and each subcomponent's identifiers.
type ScopedProduct struct {
	Product       []string `json:"product"`
	Subcomponents []string `json:"subcomponents"`
}

// Suppresses reports whether the statement removes a finding.
func (s *Statement) Suppresses() bool { return s.Status == NotAffected || s.Status == Fixed }

// Product is what a finding is about, for matching statements.
type Product struct {
	VulnIDs []string // the finding's id and aliases
	PURL    string   // the package
	Image   []string // the image's references and digests (manifest digest, repo digests, tags)
}

// Applies reports whether the statement is about this vulnerability in this
// product: the same id or alias, and either a product that is the package's
// purl (versionless purls match every version) or the image itself, or a
// scoped product that is the image with a subcomponent that is the package.
func (s *Statement) Applies(p Product) bool {
	ids := append([]string{s.Vulnerability}, s.Aliases...)
	if !slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(p.VulnIDs, id) }) {
		return false
	}
	for _, prod := range s.Products {
		if purlMatches(prod, p.PURL) || identifiesImage(prod, p.Image) {
			return true
		}
	}
	isImage := func(id string) bool { return identifiesImage(id, p.Image) }
	isPackage := func(id string) bool { return purlMatches(id, p.PURL) }
	for _, sp := range s.Scoped {
		if slices.ContainsFunc(sp.Product, isImage) && slices.ContainsFunc(sp.Subcomponents, isPackage) {
			return true
		}
	}
	return false
}

// purlMatches reports whether stmt, a purl, names purl; a versionless stmt
// matches every version, qualifiers are ignored.
func purlMatches(stmt, purl string) bool {
	if purl == "" || !strings.HasPrefix(stmt, "pkg:") {
		return false
	}
	base, _, _ := strings.Cut(purl, "?")
	stmtBase, _, _ := strings.Cut(stmt, "?")
	if strings.Contains(stmtBase, "@") {
		return stmtBase == base
	}
	name, _, _ := strings.Cut(base, "@")
	return stmtBase == name
}

// identifiesImage reports whether id names the image: one of its references or
// digests, a name@digest, or a pkg:oci purl whose version is its digest.
func identifiesImage(id string, refs []string) bool {
	digest := ""
	if strings.HasPrefix(id, "pkg:oci/") {
		base, _, _ := strings.Cut(id, "?")
		base, _, _ = strings.Cut(base, "#")
		if i := strings.LastIndex(base, "@"); i >= 0 {
			if v, err := url.PathUnescape(base[i+1:]); err == nil {
				digest = v
			}
		}
	}
	return slices.ContainsFunc(refs, func(ref string) bool {
		return ref != "" && (ref == id || ref == digest || strings.HasSuffix(id, "@"+ref))
	})
}

// maxDocument bounds a VEX document read into memory.
const maxDocument = 64 << 20

// Parse reads an OpenVEX or CycloneDX VEX document; source names it in errors.
func Parse(data []byte, source string) ([]Statement, error) {
	if len(data) > maxDocument {
		return nil, fmt.Errorf("%s: larger than %d bytes", source, maxDocument)
	}
	var probe struct {
		Context   json.RawMessage `json:"@context"`
		BOMFormat string          `json:"bomFormat"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", source, err)
	}
	var (
		out []Statement
		err error
	)
	switch {
	case probe.BOMFormat == "CycloneDX":
		out, err = parseCycloneDX(data)
	case bytes.Contains(probe.Context, []byte("openvex")):
		out, err = parseOpenVEX(data)
	default:
		return nil, fmt.Errorf("%s: neither OpenVEX (@context …openvex…) nor CycloneDX (bomFormat) VEX", source)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	for i := range out {
		out[i].Source = source
	}
	return out, nil
}

// parseTime reads an RFC 3339 timestamp; empty is the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want an RFC 3339 time", field, s)
	}
	return t.UTC(), nil
}
