package cyclonedx

import (
	"encoding/hex"
	"slices"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/docid"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/license"
)

// dependencies is the graph rooted at the image: the image depends on the
// distribution and on every package; an OS package on each package it owns.
// Every component has an entry, sorted by ref, each dependsOn list sorted.
func dependencies(s *sbom.SBOM, refs []string, osRef string) []cdx.Dependency {
	byID := map[string]string{}
	for i, p := range s.Packages {
		if _, dup := byID[p.ID]; !dup {
			byID[p.ID] = refs[i]
		}
	}
	edges := map[string][]string{}
	for _, r := range s.Relationships {
		from, okFrom := byID[r.From]
		to, okTo := byID[r.To]
		if r.Type == sbom.Owns && okFrom && okTo && from != to {
			edges[from] = append(edges[from], to)
		}
	}
	root := slices.Clone(refs)
	if osRef != "" {
		root = append(root, osRef)
	}
	edges[imageRef] = root
	all := append([]string{imageRef}, refs...)
	if osRef != "" {
		all = append(all, osRef)
	}
	slices.Sort(all)
	out := make([]cdx.Dependency, 0, len(all))
	for _, ref := range all {
		d := cdx.Dependency{Ref: ref}
		if on := edges[ref]; len(on) > 0 {
			slices.Sort(on)
			on = slices.Compact(on)
			d.Dependencies = &on
		}
		out = append(out, d)
	}
	return out
}

// licenses maps the model's license strings: a listed SPDX identifier to
// license.id, a lone SPDX expression to expression, anything else to
// license.name. CycloneDX 1.6 does not allow an expression beside other
// licenses; then the expression is written as a name.
func licenses(ls []string) *cdx.Licenses {
	if len(ls) == 0 {
		return nil
	}
	if len(ls) == 1 {
		if k, v := license.Classify(ls[0]); k == license.Expression {
			return &cdx.Licenses{{Expression: v}}
		}
	}
	out := make(cdx.Licenses, 0, len(ls))
	for _, l := range ls {
		switch k, v := license.Classify(l); k {
		case license.ID:
			out = append(out, cdx.LicenseChoice{License: &cdx.License{ID: v}})
		default:
			out = append(out, cdx.LicenseChoice{License: &cdx.License{Name: l}})
		}
	}
	return &out
}

// hash turns "sha256:<hex>" into a CycloneDX hash.
func hash(digest string) (cdx.Hash, bool) {
	algo, value, ok := strings.Cut(digest, ":")
	if !ok {
		return cdx.Hash{}, false
	}
	var a cdx.HashAlgorithm
	switch algo {
	case "sha256":
		a = cdx.HashAlgoSHA256
	case "sha512":
		a = cdx.HashAlgoSHA512
	default:
		return cdx.Hash{}, false
	}
	if b, err := hex.DecodeString(value); err != nil || (len(b) != 32 && len(b) != 64) {
		return cdx.Hash{}, false
	}
	return cdx.Hash{Algorithm: a, Value: value}, true
}

// imagePURL is pkg:oci/NAME@DIGEST?repository_url=REPO&tag=TAG for an image
// from a registry with a known manifest digest, else "".
func imagePURL(src sbom.Source, im docid.Image) string {
	if src.Kind != "registry" || src.ManifestDigest == "" || im.Name == "" {
		return ""
	}
	q := packageurl.Qualifiers{{Key: "repository_url", Value: im.Repository}}
	if im.Tag != "" {
		q = append(q, packageurl.Qualifier{Key: "tag", Value: im.Tag})
	}
	return packageurl.NewPackageURL("oci", "", strings.ToLower(im.Name), src.ManifestDigest, q, "").ToString()
}
