package cyclonedx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/input"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/props"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/purltype"
)

// cataloger names the decoder in warnings and in packages that do not say
// which cataloger found them.
const cataloger = "cyclonedx"

// ErrNotCycloneDX reports a JSON document that is not a CycloneDX BOM.
var ErrNotCycloneDX = errors.New("not a CycloneDX document")

// Decode reads a CycloneDX JSON document (spec 1.4 to 1.6; older and newer
// versions that cyclonedx-go reads are accepted too) of at most
// input.MaxSize bytes. Components become packages (their plimsoll: properties,
// when present, restore every model field; syft's syft: properties give the
// type, cataloger and locations), the operating-system component the distro,
// metadata.component the source. A dependency from an OS package to a
// language package becomes an ownership link. Problems with single
// properties are warnings in the result, not errors.
func Decode(r io.Reader) (*sbom.SBOM, error) {
	b, err := input.ReadAll(r, 0)
	if err != nil {
		return nil, fmt.Errorf("decode cyclonedx: %w", err)
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(b), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		return nil, fmt.Errorf("decode cyclonedx: %w", err)
	}
	if bom.BOMFormat != cdx.BOMFormat {
		return nil, fmt.Errorf("decode cyclonedx: bomFormat %q: %w", bom.BOMFormat, ErrNotCycloneDX)
	}
	d := decoder{s: &sbom.SBOM{Schema: sbom.SchemaVersion, Packages: []sbom.Package{}}, ids: map[string]int{}}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		d.source(bom.Metadata.Component)
	}
	if bom.Components != nil {
		d.components(*bom.Components, 0)
	}
	if bom.Dependencies != nil {
		d.ownership(*bom.Dependencies)
	}
	d.s.Sort()
	return d.s, nil
}

// maxDepth bounds the nesting of components the decoder follows.
const maxDepth = 64

type decoder struct {
	s   *sbom.SBOM
	ids map[string]int // bom-ref → index in s.Packages
}

func (d *decoder) warn(format string, args ...any) {
	d.s.Warnings = append(d.s.Warnings, sbom.Warning{Cataloger: cataloger, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) source(c *cdx.Component) {
	found, err := props.ApplySource(d.s, list(c.Properties))
	if err != nil {
		d.warn("metadata.component: %v", err)
	}
	if found {
		return
	}
	src := &d.s.Source
	src.Reference = c.Name
	switch {
	case strings.HasPrefix(c.Version, "sha256:"):
		src.ManifestDigest = c.Version
	case c.Version != "":
		src.Reference += ":" + c.Version
	}
}

func (d *decoder) components(cs []cdx.Component, depth int) {
	if depth > maxDepth {
		d.warn("components nested deeper than %d: the rest skipped", maxDepth)
		return
	}
	for i := range cs {
		c := &cs[i]
		switch c.Type {
		case cdx.ComponentTypeOS:
			d.distro(c)
		case cdx.ComponentTypeContainer, cdx.ComponentTypeFile:
		default:
			d.pkg(c)
		}
		if c.Components != nil {
			d.components(*c.Components, depth+1)
		}
	}
}

func (d *decoder) distro(c *cdx.Component) {
	if d.s.Distro != nil {
		return
	}
	dist := &sbom.Distro{ID: c.Name, VersionID: c.Version, PrettyName: c.Description}
	props.ApplyDistro(dist, list(c.Properties))
	d.s.Distro = dist
}

func (d *decoder) pkg(c *cdx.Component) {
	p := sbom.Package{Name: c.Name, Version: c.Version, PURL: c.PackageURL, Locations: []sbom.Location{}}
	if c.Group != "" && purltype.FromPURL(c.PackageURL) == sbom.TypeNpm {
		p.Name = c.Group + "/" + c.Name
	}
	p.Licenses = licenseStrings(c.Licenses)
	l := list(c.Properties)
	found, err := props.ApplyPackage(&p, l)
	if err != nil {
		d.warn("component %q: %v", c.BOMRef, err)
	}
	if !found {
		applySyft(&p, l)
		p.Dev = c.Scope == cdx.ScopeOptional || c.Scope == cdx.ScopeExcluded
		if len(p.Locations) == 0 && c.Evidence != nil && c.Evidence.Occurrences != nil {
			for _, o := range *c.Evidence.Occurrences {
				if o.Location != "" {
					p.Locations = append(p.Locations, sbom.Location{Path: o.Location})
				}
			}
		}
	}
	if p.Type == "" {
		p.Type = purltype.FromPURL(p.PURL)
	}
	if p.Cataloger == "" {
		p.Cataloger = cataloger
	}
	if p.ID == "" {
		p.ComputeID()
	}
	if c.BOMRef != "" {
		d.ids[c.BOMRef] = len(d.s.Packages)
	}
	d.s.Packages = append(d.s.Packages, p)
}

// ownership links an OS package to the language packages that depend on it in
// the graph's direction OS → language, as plimsoll writes ownership.
func (d *decoder) ownership(deps []cdx.Dependency) {
	for _, dep := range deps {
		from, ok := d.ids[dep.Ref]
		if !ok || dep.Dependencies == nil || !d.s.Packages[from].Type.IsOS() {
			continue
		}
		for _, ref := range *dep.Dependencies {
			to, ok := d.ids[ref]
			if !ok || to == from {
				continue
			}
			if t := d.s.Packages[to].Type; t != "" && !t.IsOS() {
				d.s.Relationships = append(d.s.Relationships, sbom.Relationship{
					From: d.s.Packages[from].ID, To: d.s.Packages[to].ID, Type: sbom.Owns,
				})
			}
		}
	}
}

// licenseStrings reads licenses back: the id, else the name, else the
// expression of each choice.
func licenseStrings(ls *cdx.Licenses) []string {
	if ls == nil {
		return nil
	}
	var out []string
	for _, c := range *ls {
		switch {
		case c.License != nil && c.License.ID != "":
			out = append(out, c.License.ID)
		case c.License != nil && c.License.Name != "":
			out = append(out, c.License.Name)
		case c.Expression != "":
			out = append(out, c.Expression)
		}
	}
	return out
}

func list(ps *[]cdx.Property) props.List {
	if ps == nil {
		return nil
	}
	out := make(props.List, len(*ps))
	for i, p := range *ps {
		out[i] = props.Property{Name: p.Name, Value: p.Value}
	}
	return out
}
