package policy

import (
	"strings"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// NewInput assembles the gates' input from an inspected image and its SBOM.
// Findings, vulnerability data state, identity (mapping fields) and Now are
// left for the caller.
func NewInput(in *image.Inspection, doc *sbom.SBOM) *gate.Input {
	g := InputFromSBOM(doc)
	im := in.Image
	g.Image.Size = im.Size
	g.Config = in.Config
	g.History = in.History
	g.Dockerfile = in.Dockerfile
	if in.FS != nil {
		g.FS = in.FS
	}
	if im.Config != nil {
		g.Env = im.Config.Config.Env
		g.Image.OS, g.Image.Architecture = im.Config.OS, im.Config.Architecture
		if t := im.Config.Created.Time; !t.IsZero() {
			g.Image.Created = &t
		}
	}
	return g
}

// InputFromSBOM assembles the gates' input from an SBOM alone: no image
// configuration, history or files, so the gates that read them see nothing.
func InputFromSBOM(doc *sbom.SBOM) *gate.Input {
	src := doc.Source
	g := &gate.Input{
		Image:  gate.Identity{Reference: src.Reference, Digest: src.ManifestDigest, ID: src.ConfigDigest},
		Distro: doc.Distro,
		SBOM:   doc,
	}
	if os, arch, ok := strings.Cut(src.Platform, "/"); ok {
		arch, _, _ = strings.Cut(arch, "/")
		g.Image.OS, g.Image.Architecture = os, arch
	}
	for _, l := range src.Layers {
		g.Layers = append(g.Layers, gate.Layer{Index: l.Index, DiffID: l.DiffID, CreatedBy: l.CreatedBy})
		g.Image.Size += l.Size
	}
	return g
}

// IdentifyFrom fills the identity's registry, repository and tag from the
// first of the candidates that parses as an image reference (--tag, the
// reference as given, the tags an archive recorded).
func IdentifyFrom(id *gate.Identity, candidates ...string) {
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if err := ParseTag(c, id); err == nil {
			return
		}
	}
}
