package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/list"
	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/report"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

type evaluateFlags struct {
	image      imageFlags
	db         dbOptions
	policy     string
	tag        string
	baseLayers int
	base       string
	dockerfile string
	outputs    []string
}

func newEvaluateCommand() *cobra.Command {
	var f evaluateFlags
	cmd := &cobra.Command{
		Use:   "evaluate IMAGE|sbom:PATH",
		Short: "Evaluate an image against a policy bundle and give its verdict: GO, WARN or STOP",
		Long: `Evaluate an image against an Anchore Engine policy bundle (version 1_0 JSON, read
unchanged), a bundle in plimsoll's native YAML form, or the built-in default
policy. The bundle's first mapping that matches the image (registry, repository,
tag; --tag names an image read from an archive or layout) selects its policies
and whitelists. Every rule's trigger fires with a
trigger ID that whitelist items match; the final action is the strictest action
of the results not whitelisted, unless the image is in whitelisted_images (GO)
or blacklisted_images (STOP, which wins).

Each result names the layer its evidence came from. A rule with "layers": "base"
sees only evidence from the bottom --base-layers N layers; "application", only
from the layers above.

The built-in default policy (--policy default, or no --policy): STOP on exposed
port 22, STOP when the effective user is root, WARN without HEALTHCHECK, STOP on
high or critical vulnerabilities with a fix, WARN on medium ones, WARN on stale
or missing vulnerability data. docs/policy.md describes every gate.

Exit codes: 0 GO or WARN, 1 STOP, 2 an error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runEvaluate(cmd, args[0], &f) },
	}
	f.image.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.policy, "policy", policy.DefaultName, "policy bundle file (Anchore 1_0 JSON or native YAML), or \"default\" for the built-in policy")
	fl.StringVar(&f.tag, "tag", "", "evaluate as this image reference (registry/repository:tag) for the bundle's mappings")
	fl.IntVar(&f.baseLayers, "base-layers", -1, "the number of bottom layers that are the base image (for rules scoped to base or application layers)")
	fl.StringVar(&f.base, "base", "", "the base image (any IMAGE form): its layers must be the bottom layers of this image; sets --base-layers")
	fl.StringVar(&f.dockerfile, "dockerfile", "", "the Dockerfile the image was built from, for the dockerfile gate (else it is reconstructed from the history)")
	fl.StringVar(&f.db.dir, "db-dir", "", "vulnerability database directory (env PLIMSOLL_DB_DIR; default $XDG_CACHE_HOME/plimsoll)")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "report FORMAT[=FILE], repeatable: table, json, junit, sarif")
	return cmd
}

func runEvaluate(cmd *cobra.Command, ref string, f *evaluateFlags) error {
	outs, err := parseOutputs(f.outputs, evaluateFormats, "table")
	if err != nil {
		return err
	}
	bundle, err := loadBundle(f.policy)
	if err != nil {
		return err
	}
	compiled, err := policy.New(policy.Gates()).Compile(bundle)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	// Without a database policy still evaluates (vulnerability_data_unavailable
	// fires); its age is the stale_feed_data trigger's to judge, not a warning.
	opened, err := openVulnDB(ctx, &f.db, dbOptional, 0)
	if err != nil {
		return err
	}
	defer opened.Close()
	db, sync := opened.DB, opened.Newest
	in, err := evaluationInput(cmd, ref, f, compiled.Requests())
	if err != nil {
		return err
	}
	in.Now, in.VulnSync, in.Vulnerabilities = time.Now(), sync, db != nil
	matchWarnings, err := addEvidence(ctx, db, in, f.dockerfile)
	if err != nil {
		return err
	}
	if db != nil && compiled.UsesParam("vulnerabilities", "package", "max_days_since_creation") {
		if in.Published, err = publishedDates(ctx, db, in.Findings); err != nil {
			return err
		}
	}
	base := f.baseLayers
	if f.base != "" {
		if base, err = baseLayers(cmd, f.base, &f.image, in.Layers); err != nil {
			return err
		}
	}
	ev, err := compiled.Evaluate(ctx, in, policy.Options{BaseLayers: base})
	if err != nil {
		return err
	}
	ev.Warnings = append(ev.Warnings, matchWarnings...)
	if db == nil {
		ev.Warnings = append(ev.Warnings, "no vulnerability database: vulnerability rules saw no findings (run `plimsoll db update`)")
	}
	if in.FS == nil {
		ev.Warnings = append(ev.Warnings, "evaluating an SBOM: the dockerfile, files, passwd_file and secret_scans gates have no image configuration or files to read")
	}
	for _, w := range ev.Warnings {
		slog.Warn("evaluate", slog.String("image", ref), slog.String("warning", w))
	}
	if err := writeEvaluation(cmd.OutOrStdout(), outs, ev); err != nil {
		return err
	}
	if ev.FinalAction == policy.STOP {
		return errFailed(fmt.Sprintf("final action STOP (%s)", ev.Reason))
	}
	return nil
}

// addEvidence adds the vulnerability findings (when there is a database) and
// the real Dockerfile (when given) to the input. It returns the matcher's
// warnings.
func addEvidence(ctx context.Context, db *vulndb.DB, in *gate.Input, dockerfile string) ([]string, error) {
	var warnings []string
	if db != nil {
		res, err := match.New(db, match.Options{}).Match(ctx, in.SBOM)
		if err != nil {
			return nil, err
		}
		if err := match.Enrich(ctx, db, res.Findings); err != nil {
			return nil, err
		}
		in.Findings, warnings = res.Findings, res.Warnings
	}
	if dockerfile != "" {
		b, err := os.ReadFile(dockerfile)
		if err != nil {
			return nil, fmt.Errorf("--dockerfile: %w", err)
		}
		in.Dockerfile, in.DockerfileActual = string(b), true
	}
	return warnings, nil
}

// publishedDates returns, for each finding, the earliest publication date of
// the advisory records that matched it.
func publishedDates(ctx context.Context, db *vulndb.DB, findings []match.Finding) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	records := map[string]*vulndb.Vulnerability{}
	for _, f := range findings {
		for _, e := range f.Evidence {
			rec, ok := records[e.Record]
			if !ok {
				var err error
				rec, err = db.Record(ctx, e.Record)
				if err != nil && !errors.Is(err, vulndb.ErrNotFound) {
					return nil, fmt.Errorf("publication date of %s: %w", e.Record, err)
				}
				records[e.Record] = rec
			}
			if rec == nil || rec.Published == nil {
				continue
			}
			if t, seen := out[f.ID]; !seen || rec.Published.Before(t) {
				out[f.ID] = rec.Published.Time
			}
		}
	}
	return out, nil
}

// evaluateFormats are the -o formats of evaluate.
var evaluateFormats = []string{"table", "json", "junit", "sarif"}

// writeEvaluation writes the report in every -o format.
func writeEvaluation(stdout io.Writer, outs []outputSpec, ev *policy.Evaluation) error {
	return writeOutputs(stdout, outs, func(w io.Writer, format string) error {
		return renderEvaluation(w, format, ev)
	})
}

// renderEvaluation writes the evaluation in one format.
func renderEvaluation(w io.Writer, format string, ev *policy.Evaluation) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ev)
	case "junit":
		return report.WritePolicyJUnit(w, ev)
	case "sarif":
		return report.WritePolicySARIF(w, ev, version)
	}
	return writeEvaluationTable(w, ev)
}

// loadBundle reads --policy, or returns the built-in default.
func loadBundle(p string) (*policy.Bundle, error) {
	if p == "" || p == policy.DefaultName {
		return policy.Default(), nil
	}
	return policy.ReadFile(p)
}

// evaluationInput catalogs the image in one walk that also holds the files the
// policy's triggers read, or reads an SBOM for sbom:PATH.
func evaluationInput(cmd *cobra.Command, ref string, f *evaluateFlags, requests []layerfs.Request) (*gate.Input, error) {
	if f.base != "" && f.baseLayers >= 0 {
		return nil, errors.New("give --base or --base-layers, not both")
	}
	if p, ok := strings.CutPrefix(ref, "sbom:"); ok {
		doc, err := readSBOMFile(p)
		if err != nil {
			return nil, err
		}
		in := policy.InputFromSBOM(doc)
		identify(&in.Image, f.tag, doc.Source.Reference, doc.Source.Tags)
		return in, nil
	}
	ctx := cmd.Context()
	im, err := image.Open(ctx, ref, f.image.options(cmd))
	if err != nil {
		return nil, err
	}
	defer im.Close()
	cs := list.All()
	insp, err := image.Inspect(ctx, im, image.InspectOptions{Walk: layerfs.Options{
		Requests: append(catalog.Requests(cs), requests...), MaxFileSize: f.image.maxFileSize, Logger: slog.Default(),
	}})
	if err != nil {
		return nil, err
	}
	doc, err := catalogImage(cmd, insp, cs)
	if err != nil {
		return nil, err
	}
	in := policy.NewInput(insp, doc)
	identify(&in.Image, f.tag, ref, im.Tags)
	return in, nil
}

// identify names the image for the bundle's mappings: --tag, else the registry
// reference given, else the first tag the source recorded. An OCI layout's
// ref.name may be a bare tag ("1.0"): it sets only the tag.
func identify(id *gate.Identity, tag, ref string, tags []string) {
	if tag != "" || registryRef(ref) != "" {
		policy.IdentifyFrom(id, tag, registryRef(ref))
		return
	}
	for _, t := range tags {
		if !strings.ContainsAny(t, ":/") {
			id.Tag = t
			return
		}
		policy.IdentifyFrom(id, t)
		if id.Repository != "" {
			return
		}
	}
}

// registryRef returns the reference when it names a registry image (bare or
// registry:), and "" for archives, layouts and directories.
func registryRef(ref string) string {
	if r, ok := strings.CutPrefix(ref, "registry:"); ok {
		return r
	}
	for _, scheme := range []string{"docker-archive:", "oci-archive:", "oci-dir:", "oci:", "dir:", "sbom:"} {
		if strings.HasPrefix(ref, scheme) {
			return ""
		}
	}
	return ref
}

// baseLayers opens the base image (reading only its manifest and config) and
// returns how many of the image's bottom layers it is: its diffIDs must be a
// prefix of the image's.
func baseLayers(cmd *cobra.Command, ref string, f *imageFlags, layers []gate.Layer) (int, error) {
	im, err := image.Open(cmd.Context(), ref, f.options(cmd))
	if err != nil {
		return 0, fmt.Errorf("--base: %w", err)
	}
	defer im.Close()
	if len(im.Layers) > len(layers) {
		return 0, fmt.Errorf("--base %s has %d layers, more than the image's %d: it is not the image's base", ref, len(im.Layers), len(layers))
	}
	for i, l := range im.Layers {
		if l.DiffID == "" {
			return 0, fmt.Errorf("--base %s: layer %d has no diffID in its configuration", ref, i)
		}
		if l.DiffID != layers[i].DiffID {
			return 0, fmt.Errorf("--base %s is not the image's base: its layer %d is %s, the image's is %s", ref, i, l.DiffID, layers[i].DiffID)
		}
	}
	return len(im.Layers), nil
}
