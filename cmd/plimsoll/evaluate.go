package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/dockerfile"
	"github.com/plimsoll/plimsoll/internal/report"
)

type evaluateFlags struct {
	image   imageFlags
	db      dbOptions
	policy  policyFlags
	outputs []string
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
sees only evidence from the bottom --base-layers N layers (or those of --base
IMAGE; without either, of the base the image's OCI base-image annotations name,
reported as a hint); "application", only from the layers above.

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
	f.policy.register(cmd, policy.DefaultName, "policy bundle file (Anchore 1_0 JSON or native YAML), or \"default\" for the built-in policy")
	fl.StringVar(&f.db.dir, "db-dir", "", "vulnerability database directory (env PLIMSOLL_DB_DIR; default $XDG_CACHE_HOME/plimsoll)")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "report FORMAT[=FILE], repeatable: table, json, junit, sarif")
	return cmd
}

func runEvaluate(cmd *cobra.Command, ref string, f *evaluateFlags) error {
	outs, err := parseOutputs(f.outputs, evaluateFormats, "table")
	if err != nil {
		return err
	}
	compiled, err := f.policy.compile()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	// Without a database policy still evaluates (vulnerability_data_unavailable
	// fires); its age is the stale_feed_data trigger's to judge, not a warning.
	db, err := openVulnDB(ctx, &f.db, dbOptional, 0)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := analyse(cmd, ref, &f.image, compiled, &f.policy)
	if err != nil {
		return err
	}
	res, err := matchFindings(ctx, db.DB, a.SBOM, match.Options{})
	if err != nil {
		return err
	}
	ev, err := verdict(cmd, ref, compiled, &f.policy, &f.image, a, db, res)
	if err != nil {
		return err
	}
	if err := writeEvaluation(cmd.OutOrStdout(), outs, ev); err != nil {
		return err
	}
	return stopError(ev)
}

// readDockerfile reads --dockerfile and checks that docker build could parse
// it; "" when none is given.
func readDockerfile(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--dockerfile: %w", err)
	}
	if err := dockerfile.Validate(string(b)); err != nil {
		return "", fmt.Errorf("--dockerfile %s: %w", path, err)
	}
	return string(b), nil
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
