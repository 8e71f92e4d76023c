package main

import (
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/list"
	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/cyclonedx"
	"github.com/plimsoll/plimsoll/internal/sbom/spdx"
)

type sbomFlags struct {
	image   imageFlags
	outputs []string
	with    []string
}

func newSBOMCommand() *cobra.Command {
	var f sbomFlags
	cmd := &cobra.Command{
		Use:   "sbom IMAGE",
		Short: "Catalog an image's packages, each with the layer that brought it",
		Long: `Catalog the packages of an image: Debian (dpkg), Alpine (apk) and rpm (SQLite and
Berkeley DB databases) packages; npm packages (node_modules, package-lock.json, yarn.lock,
pnpm-lock.yaml); Python distributions and lockfiles; Ruby gems; PHP Composer and
.NET NuGet packages; Go modules and the Go toolchain (stdlib) in binaries; Rust
crates in binaries built with cargo-auditable; Java archives (.jar, .war, .ear,
nested). Each package carries its purl,
licenses, the files that are evidence of it with their layers, and the layer
that introduced it; OS packages are linked to the files they own.

--scope all-layers also catalogs what earlier layers held and later layers
deleted or replaced (a package purged by apt-get, a node_modules directory
removed, a file upgraded): each such package is reported once, from the
earliest layer that held it, with "squashed": false and the layer that
removed it ("removedBy"). The final image's packages are the same as with
the default --scope squashed, marked "squashed": true.

Every layer is read once, for all catalogers together. A file that cannot be
parsed is a warning naming the file; cataloging goes on.

IMAGE takes the same forms as in plimsoll inspect (registry:, docker-archive:,
oci-archive:, oci-dir:, dir:). Formats: table (default), json (native, lossless),
cyclonedx-json (CycloneDX 1.6), spdx-json (SPDX 2.3); docs/sbom-formats.md
describes the mapping.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runSBOM(cmd, args[0], &f) },
	}
	f.image.register(cmd)
	registerScope(cmd)
	cmd.Flags().StringArrayVarP(&f.outputs, "output", "o", nil, "report FORMAT[=FILE], repeatable: table, json, cyclonedx-json, spdx-json")
	cmd.Flags().StringSliceVar(&f.with, "with-cataloger", nil, "accepted for compatibility: every cataloger runs by default (go-binary, rust-binary and java-archive were optional)")
	return cmd
}

func runSBOM(cmd *cobra.Command, ref string, f *sbomFlags) error {
	outs, err := parseOutputs(f.outputs, []string{"table", "json", "cyclonedx-json", "spdx-json"}, "table")
	if err != nil {
		return err
	}
	cs, err := list.With(f.with)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	im, err := image.Open(ctx, ref, f.image.options(cmd))
	if err != nil {
		return err
	}
	defer im.Close()
	in, err := image.Inspect(ctx, im, f.image.walk(catalog.Requests(cs), false))
	if err != nil {
		return err
	}
	doc, err := catalogImage(cmd, in, cs)
	if err != nil {
		return err
	}
	return writeOutputs(cmd.OutOrStdout(), outs, func(w io.Writer, format string) error {
		switch format {
		case "json":
			return sbom.WriteJSON(w, doc)
		case "cyclonedx-json":
			return cyclonedx.Encoder{ToolVersion: version}.Encode(w, doc)
		case "spdx-json":
			return spdx.Encoder{ToolVersion: version}.Encode(w, doc)
		}
		return writeSBOMTable(w, doc)
	})
}

// catalogImage runs the catalogers over the inspected image and fills in the
// source; warnings are logged as well as kept in the document.
func catalogImage(cmd *cobra.Command, in *image.Inspection, cs []catalog.Cataloger) (*sbom.SBOM, error) {
	t := catalog.Target{FS: in.FS, Scope: scopeOf(cmd)}
	for _, l := range in.Layers {
		t.Layers = append(t.Layers, sbom.Layer{Index: l.Index, Digest: l.Digest, DiffID: l.DiffID,
			Size: l.Size, MediaType: l.MediaType, CreatedBy: l.CreatedBy})
	}
	if d := in.Distro; d != nil {
		t.Distro = &sbom.Distro{ID: d.ID, VersionID: d.VersionID, Codename: d.Codename,
			IDLike: d.IDLike, PrettyName: d.PrettyName, Source: d.Source}
	}
	doc, err := catalog.Run(cmd.Context(), t, cs, slog.Default())
	if err != nil {
		return nil, err
	}
	doc.Source = sourceOf(in.Image, t.Layers)
	if t.Scope == catalog.AllLayers {
		doc.Source.Scope = string(catalog.AllLayers)
	}
	for _, w := range in.Warnings {
		doc.Warnings = append(doc.Warnings, sbom.Warning{Message: w})
	}
	doc.Sort()
	for _, w := range doc.Warnings {
		slog.Warn("sbom", slog.String("image", in.Image.Reference), slog.String("warning", w.String()))
	}
	return doc, nil
}

func sourceOf(im *image.Image, layers []sbom.Layer) sbom.Source {
	s := sbom.Source{
		Reference: im.Reference, Kind: im.Source, ManifestDigest: im.ManifestDigest,
		ConfigDigest: im.ConfigDigest, RepoDigests: im.RepoDigests, Tags: im.Tags, Layers: layers,
	}
	if im.Platform != nil {
		s.Platform = im.Platform.String()
	}
	return s
}
