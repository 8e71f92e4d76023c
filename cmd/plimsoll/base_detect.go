package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/trust/bases"
)

type baseDetectFlags struct {
	image   imageFlags
	catalog string
	outputs []string
}

func newBaseDetectCommand() *cobra.Command {
	var f baseDetectFlags
	cmd := &cobra.Command{
		Use:   "detect IMAGE",
		Short: "Find the approved base an image is built on (exit 1 when none)",
		Long: `Find the nearest approved ancestor of IMAGE: the longest run of its lowest layers whose
ChainID is a whole catalogued base (current or superseded digest). Layers are compared by
diffID, so recompressing a base does not hide it. The OCI annotations
org.opencontainers.image.base.digest/.name are cross-checked and only warned about.

Exit 0 when an approved base is found, 1 when none is, 2 on errors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBaseDetect(cmd, args[0], &f)
		},
	}
	f.image.register(cmd)
	registerCatalog(cmd, &f.catalog)
	cmd.Flags().StringArrayVarP(&f.outputs, "output", "o", nil, "report FORMAT[=FILE], repeatable: table, json")
	return cmd
}

// detectReport is the JSON report of base detect.
type detectReport struct {
	Image    string      `json:"image"`
	Digest   string      `json:"digest"`
	Layers   int         `json:"layers"`
	Match    bases.Match `json:"match"`
	Warnings []string    `json:"warnings,omitempty"`
}

func runBaseDetect(cmd *cobra.Command, ref string, f *baseDetectFlags) error {
	outs, err := parseOutputs(f.outputs, []string{"table", "json"}, "table")
	if err != nil {
		return err
	}
	cat, err := loadCatalog(f.catalog, false)
	if err != nil {
		return err
	}
	im, err := image.Open(cmd.Context(), ref, f.image.options(cmd))
	if err != nil {
		return err
	}
	defer im.Close()
	diffIDs := make([]string, len(im.Layers))
	for i, l := range im.Layers {
		diffIDs[i] = l.DiffID
	}
	m, err := bases.NewIndex(cat).Detect(diffIDs)
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	rep := detectReport{Image: ref, Digest: im.ManifestDigest, Layers: len(diffIDs), Match: m,
		Warnings: bases.CheckHints(m, im.Annotations)}
	err = writeOutputs(cmd.OutOrStdout(), outs, func(w io.Writer, format string) error {
		if format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}
		return writeDetectTable(w, rep)
	})
	if err != nil {
		return err
	}
	if !m.Found() {
		return errFailed(fmt.Sprintf("%s is built on no approved base", ref))
	}
	return nil
}

func writeDetectTable(w io.Writer, rep detectReport) error {
	m := rep.Match
	switch {
	case m.Found():
		for _, h := range m.Hits {
			state := "current"
			if h.Superseded != nil {
				state = "superseded " + h.Superseded.Replaced.Format(time.DateOnly)
			}
			fmt.Fprintf(w, "base: %s@%s (%s, %s), layers 1-%d of %d\n",
				h.Base.Reference, h.Digest(), h.Base.Platform, state, m.Layers, rep.Layers)
		}
	case m.Scratch:
		fmt.Fprintln(w, "no approved base: the image has no layers")
	case m.Shared == 0:
		fmt.Fprintln(w, "no approved base: the image's lowest layer is in no catalogued base")
	default:
		fmt.Fprintf(w, "no approved base: the image's lowest %d of %d layers are the start of a catalogued base, not a whole one\n", m.Shared, rep.Layers)
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintln(w, "warning:", warn)
	}
	return nil
}

// normalizeRef spells a registry reference the way the catalogue records it
// (registry and repository in full); other references are returned as given.
func normalizeRef(ref string) string {
	if s, _, ok := strings.Cut(ref, ":"); ok && s != "registry" && slices.Contains(image.Sources, s) {
		return ref
	}
	r, err := name.ParseReference(strings.TrimPrefix(ref, "registry:"))
	if err != nil {
		return ref
	}
	if t, ok := r.(name.Tag); ok {
		return r.Context().Name() + ":" + t.TagStr()
	}
	return r.Context().Name() + "@" + r.Identifier()
}
