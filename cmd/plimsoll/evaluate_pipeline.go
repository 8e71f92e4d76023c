package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/list"
	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
	"github.com/plimsoll/plimsoll/internal/policy/gate/vulnerabilities"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// policyFlags are the flags that run a policy bundle over an image, shared by
// evaluate and scan --policy.
type policyFlags struct {
	policy     string
	tag        string
	baseLayers int
	base       string
	dockerfile string
	// dockerfileText is the --dockerfile file, read and validated by compile
	// before the image is walked.
	dockerfileText string
	// trust feeds the trust gate: --key and --base-catalog.
	trust trustFlags
}

// register adds the flags; def is --policy's default ("" for none).
func (p *policyFlags) register(cmd *cobra.Command, def, usage string) {
	fl := cmd.Flags()
	fl.StringVar(&p.policy, "policy", def, usage)
	fl.StringVar(&p.tag, "tag", "", "evaluate as this image reference (registry/repository:tag) for the bundle's mappings")
	fl.IntVar(&p.baseLayers, "base-layers", -1, "the number of bottom layers that are the base image (for rules scoped to base or application layers)")
	fl.StringVar(&p.base, "base", "", "the base image (any IMAGE form): its layers must be the bottom layers of this image; sets --base-layers")
	fl.StringVar(&p.dockerfile, "dockerfile", "", "the Dockerfile the image was built from, for the dockerfile gate (else it is reconstructed from the history)")
	p.trust.register(cmd)
}

// compile reads --policy (or the built-in default) and compiles it, and reads
// --dockerfile, so bad input fails before the image is walked.
func (p *policyFlags) compile() (*policy.Compiled, error) {
	if p.base != "" && p.baseLayers >= 0 {
		return nil, errors.New("give --base or --base-layers, not both")
	}
	bundle, err := loadBundle(p.policy)
	if err != nil {
		return nil, err
	}
	if p.dockerfileText, err = readDockerfile(p.dockerfile); err != nil {
		return nil, err
	}
	return policy.New(policy.Gates()).Compile(bundle)
}

// analysis is what one pass over an image gives: its SBOM and, when a policy
// will run, the gates' input (which holds the same SBOM).
type analysis struct {
	SBOM  *sbom.SBOM
	Input *gate.Input
	// Annotations are the image manifest's annotations (none for an SBOM).
	Annotations map[string]string
	// TrustWarnings are what trust detection noticed (base annotations that
	// disagree with the layers).
	TrustWarnings []string
}

// analyse catalogs the image in a single walk over its layers whose file
// requests are the catalogers' joined with the policy's, or reads the SBOM of
// sbom:PATH. With c nil (no policy) only the SBOM is built; else the input is
// assembled, named by --tag, the reference or the source's tags, and given
// what signature verification and base detection found (--key,
// --base-catalog) for the trust gate.
func analyse(cmd *cobra.Command, ref string, f *imageFlags, c *policy.Compiled, p *policyFlags) (*analysis, error) {
	tag := ""
	if p != nil {
		tag = p.tag
	}
	if p, ok := strings.CutPrefix(ref, "sbom:"); ok {
		doc, err := readSBOMFile(p)
		if err != nil {
			return nil, err
		}
		a := &analysis{SBOM: doc}
		if c != nil {
			a.Input = policy.InputFromSBOM(doc)
			identify(&a.Input.Image, tag, doc.Source.Reference, doc.Source.Tags)
		}
		return a, nil
	}
	ctx := cmd.Context()
	im, err := image.Open(ctx, ref, f.options(cmd))
	if err != nil {
		return nil, err
	}
	defer im.Close()
	cs := list.All()
	requests := catalog.Requests(cs)
	if c != nil {
		requests = append(requests, c.Requests()...)
	}
	insp, err := image.Inspect(ctx, im, f.walk(requests, false))
	if err != nil {
		return nil, err
	}
	doc, err := catalogImage(cmd, insp, cs)
	if err != nil {
		return nil, err
	}
	a := &analysis{SBOM: doc, Annotations: im.Annotations}
	if c != nil {
		a.Input = policy.NewInput(insp, doc)
		identify(&a.Input.Image, tag, ref, im.Tags)
		if a.Input.Trust, a.TrustWarnings, err = trustInput(ctx, im, &p.trust, f.options(cmd)); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// matchFindings matches the SBOM against the database and enriches the
// findings; nil without a database.
func matchFindings(ctx context.Context, db *vulndb.DB, doc *sbom.SBOM, o match.Options) (*match.Result, error) {
	if db == nil {
		return nil, nil
	}
	res, err := match.New(db, o).Match(ctx, doc)
	if err != nil {
		return nil, err
	}
	if err := match.Enrich(ctx, db, res.Findings); err != nil {
		return nil, err
	}
	return res, nil
}

// verdict runs the compiled bundle over the analysed image: the findings
// already matched (res nil without a database), the real Dockerfile when
// given, publication dates when a rule asks, and the base from --base or
// --base-layers, else (when a rule is scoped to layers) the approved base
// --base-catalog found, else the one the image's OCI base-image annotations
// name, as a hint. evaluate and scan --policy both end here.
func verdict(cmd *cobra.Command, ref string, c *policy.Compiled, p *policyFlags, img *imageFlags, a *analysis, db *openedDB, res *match.Result) (*policy.Evaluation, error) {
	ctx := cmd.Context()
	in := a.Input
	in.Now, in.VulnSync, in.Vulnerabilities = time.Now(), db.Newest, db.DB != nil
	var matchWarnings []string
	if res != nil {
		in.Findings, matchWarnings = res.Findings, res.Warnings
	}
	if p.dockerfileText != "" {
		in.Dockerfile, in.DockerfileActual = p.dockerfileText, true
	}
	if db.DB != nil {
		if err := vulnerabilities.Gather(ctx, db.DB, in, vulnNeeds(c)); err != nil {
			return nil, err
		}
	}
	opts := policy.Options{BaseLayers: p.baseLayers}
	var baseWarning string
	switch {
	case p.base != "":
		var err error
		if opts.BaseLayers, err = baseLayers(cmd, p.base, img, in.Layers); err != nil {
			return nil, err
		}
	case p.baseLayers >= 0 || !c.ScopesLayers():
		// the user's --base-layers, or no rule needs the base
	case in.Trust != nil && in.Trust.Base != nil:
		opts.BaseLayers = in.Trust.Base.Layers // an approved base, found by ChainID
	default:
		opts.BaseLayers, opts.BaseHint, baseWarning = baseFromAnnotations(cmd, a.Annotations, img, in.Layers)
	}
	ev, err := c.Evaluate(ctx, in, opts)
	if err != nil {
		if baseWarning != "" {
			return nil, fmt.Errorf("%w (%s)", err, baseWarning)
		}
		return nil, err
	}
	if ev.BaseHint != "" {
		ev.Warnings = append(ev.Warnings, ev.BaseHint)
	}
	ev.Warnings = append(append(ev.Warnings, matchWarnings...), a.TrustWarnings...)
	if db.DB == nil {
		ev.Warnings = append(ev.Warnings, "no vulnerability database: vulnerability rules saw no findings (run `plimsoll db update`)")
	}
	if in.FS == nil {
		ev.Warnings = append(ev.Warnings, "evaluating an SBOM: the dockerfile, files, passwd_file and secret_scans gates have no image configuration or files to read")
	}
	for _, w := range ev.Warnings {
		slog.Warn("evaluate", slog.String("image", ref), slog.String("warning", w))
	}
	return ev, nil
}

// stopError is the exit-1 error of a STOP verdict; nil for GO and WARN.
func stopError(ev *policy.Evaluation) error {
	if ev.FinalAction == policy.STOP {
		return errFailed(fmt.Sprintf("final action STOP (%s)", ev.Reason))
	}
	return nil
}

// vulnNeeds says which vulnerability facts the bundle's rules read: dates and
// won't-fix marks from the advisory records, coverage from the database.
func vulnNeeds(c *policy.Compiled) vulnerabilities.Needs {
	const g = "vulnerabilities"
	return vulnerabilities.Needs{
		Published: c.UsesParam(g, "package", "max_days_since_creation"),
		FixDates:  c.UsesParam(g, "package", "max_days_since_fix"),
		Vendor:    c.UsesTrigger(g, "package") || c.UsesTrigger(g, "blacklist"),
		Coverage:  c.UsesTrigger(g, "vulnerability_data_unavailable"),
	}
}
