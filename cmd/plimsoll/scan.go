package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/ignore"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/policy"
	"github.com/plimsoll/plimsoll/internal/report"
	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/decode"
	"github.com/plimsoll/plimsoll/internal/vex"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

type scanFlags struct {
	image        imageFlags
	db           dbOptions
	outputs      []string
	failOn       string
	onlyFixed    bool
	severities   []string
	byLayer      bool
	ignoreFile   string
	template     string
	vexFiles     []string
	showSupp     bool
	matchOSOwned bool
	requireFresh time.Duration
	policy       policyFlags
}

func newScanCommand() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan IMAGE|sbom:PATH",
		Short: "Find the known vulnerabilities of an image's packages",
		Long: `Catalog the image's packages (or read an SBOM) and match them against the local
vulnerability database (plimsoll db update fills it). Every finding names the
package, the layer that brought it, the advisory range that matched, the fix and
the severity computed from the best CVSS vector.

scan is offline: only pulling a registry image touches the network.

--scope all-layers (as in syft and grype) also matches the packages earlier
layers held and later layers deleted or replaced: they are still in the
image's layer blobs. Their findings are marked "squashed": false with the
layer that removed the package ("removedBy"), and flagged in the table.

With --policy FILE the same single pass over the layers also gives the policy's
verdict (as plimsoll evaluate would): the table and JSON reports carry it, and
-o policy-table|policy-json|policy-junit|policy-sarif write it alone.

Exit codes: 0 no finding at or above --fail-on (or no --fail-on) and no STOP
verdict, 1 a finding at or above --fail-on that no ignore rule or VEX statement
covers, or a STOP verdict, 2 an error. --severity and --only-fixed narrow both
what is reported and what --fail-on judges (as trivy's --severity and
--ignore-unfixed do).

Ignore rules come from the ignore: list of .plimsoll.yaml and from --ignore-file;
each needs a reason and may expire:

  ignore:
    - id: CVE-2023-1234
      package: {name: openssl}
      reason: not reachable from our entrypoint
      expires: 2026-12-31`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runScan(cmd, args[0], &f) },
	}
	f.image.register(cmd)
	registerScope(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.db.dir, "db-dir", "", "vulnerability database directory (env PLIMSOLL_DB_DIR; default $XDG_CACHE_HOME/plimsoll)")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "report FORMAT[=FILE], repeatable: table, json, cyclonedx-json, sarif, junit, template (with --template); with --policy also policy-table, policy-json, policy-junit, policy-sarif")
	fl.StringVar(&f.template, "template", "", "Go text/template file for -o template; it receives the JSON report's fields")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a finding not ignored is at or above this severity: negligible, low, medium, high, critical")
	fl.BoolVar(&f.onlyFixed, "only-fixed", false, "report only findings with a fix available")
	fl.StringSliceVar(&f.severities, "severity", nil, "report only these severities (comma-separated)")
	fl.BoolVar(&f.byLayer, "by-layer", false, "group the table by the layer that brought each package")
	fl.StringVar(&f.ignoreFile, "ignore-file", "", "YAML file with an ignore: list of rules (in addition to .plimsoll.yaml)")
	fl.StringArrayVar(&f.vexFiles, "vex", nil, "OpenVEX or CycloneDX VEX document whose not_affected and fixed statements suppress findings (repeatable)")
	fl.BoolVar(&f.showSupp, "show-suppressed", false, "list findings suppressed by VEX in the table (JSON always has them)")
	fl.BoolVar(&f.matchOSOwned, "match-os-owned", false, "also match language packages owned by OS packages against their language ecosystem")
	fl.DurationVar(&f.requireFresh, "require-fresh-db", 0, "fail when the vulnerability database is older than this (e.g. 24h); 0 only warns")
	f.policy.register(cmd, "", "also evaluate this policy bundle (Anchore 1_0 JSON, native YAML, or \"default\") in the same pass: exit 1 on STOP")
	return cmd
}

func runScan(cmd *cobra.Command, ref string, f *scanFlags) error {
	outs, err := parseOutputs(f.outputs, append([]string{"table", "json", "cyclonedx-json", "sarif", "junit", "template"}, scanPolicyFormats...), "table")
	if err != nil {
		return err
	}
	if err := checkScanPolicyOutputs(outs, f.policy.policy != ""); err != nil {
		return err
	}
	var compiled *policy.Compiled
	if f.policy.policy != "" {
		if compiled, err = f.policy.compile(); err != nil {
			return err
		}
	}
	var tmpl *template.Template
	for _, o := range outs {
		if o.Format != "template" {
			continue
		}
		if f.template == "" {
			return errors.New("-o template needs --template FILE")
		}
		if tmpl, err = report.ParseTemplate(f.template); err != nil {
			return err
		}
	}
	failOn := ""
	if f.failOn != "" {
		if failOn, err = match.ParseSeverity(f.failOn); err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
	}
	for i, s := range f.severities {
		if f.severities[i], err = match.ParseSeverity(s); err != nil {
			return fmt.Errorf("--severity: %w", err)
		}
	}
	rules, err := loadIgnoreRules(f.ignoreFile)
	if err != nil {
		return err
	}
	statements, err := loadVEX(f.vexFiles)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	opened, err := openVulnDB(ctx, &f.db, dbRequired, f.requireFresh)
	if err != nil {
		return err
	}
	defer opened.Close()
	db, dbWarnings := opened.DB, opened.Warnings
	a, err := analyse(cmd, ref, &f.image, compiled, &f.policy)
	if err != nil {
		return err
	}
	doc := a.SBOM
	if strings.HasPrefix(ref, "sbom:") && scopeOf(cmd) == catalog.AllLayers && doc.Source.Scope != string(catalog.AllLayers) {
		dbWarnings = append(dbWarnings, "--scope all-layers does not apply to an SBOM, which holds what its own scope cataloged: write it with plimsoll sbom --scope all-layers")
	}
	res, err := matchFindings(ctx, db, doc, match.Options{MatchOSOwned: f.matchOSOwned})
	if err != nil {
		return err
	}
	rep := report.NewScan(doc, res, report.ScanOptions{
		OnlyFixed: f.onlyFixed, Severities: f.severities, FailOn: failOn, Rules: rules, VEX: statements, Now: time.Now(),
	})
	rep.Warnings = append(dbWarnings, rep.Warnings...)
	for _, w := range rep.Warnings {
		slog.Warn("scan", slog.String("image", ref), slog.String("warning", w))
	}
	var ev *policy.Evaluation
	if compiled != nil {
		if ev, err = verdict(cmd, ref, compiled, &f.policy, &f.image, a, opened, res); err != nil {
			return err
		}
	}
	table := func(w io.Writer) error { return report.WriteTable(w, rep, f.byLayer, f.showSupp) }
	if err := writeOutputs(cmd.OutOrStdout(), outs, func(w io.Writer, format string) error {
		if done, err := renderScanPolicy(w, format, rep, ev, table); done {
			return err
		}
		switch format {
		case "json":
			return report.WriteJSON(w, rep)
		case "cyclonedx-json":
			return report.WriteCycloneDX(w, doc, rep, version)
		case "sarif":
			return report.WriteSARIF(w, rep, version)
		case "junit":
			return report.WriteJUnit(w, rep)
		case "template":
			return report.WriteTemplate(w, rep, tmpl)
		}
		return table(w)
	}); err != nil {
		return err
	}
	return scanFailure(rep, failOn, ev)
}

// loadIgnoreRules reads the ignore: lists of .plimsoll.yaml and of --ignore-file.
func loadIgnoreRules(extra string) ([]ignore.Rule, error) {
	path, raw, _, err := readConfig()
	if err != nil {
		return nil, err
	}
	var rules []ignore.Rule
	if path != "" {
		if rules, err = ignore.Parse(raw, path); err != nil {
			return nil, err
		}
	}
	if extra != "" {
		b, err := os.ReadFile(extra)
		if err != nil {
			return nil, fmt.Errorf("--ignore-file: %w", err)
		}
		more, err := ignore.Parse(b, extra)
		if err != nil {
			return nil, err
		}
		rules = append(rules, more...)
	}
	return rules, nil
}

// loadVEX reads every --vex document.
func loadVEX(files []string) ([]vex.Statement, error) {
	var out []vex.Statement
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("--vex: %w", err)
		}
		st, err := vex.Parse(b, p)
		if err != nil {
			return nil, fmt.Errorf("--vex: %w", err)
		}
		out = append(out, st...)
	}
	return out, nil
}

// dbNeed says whether a command cannot run without the vulnerability database.
type dbNeed int

const (
	dbRequired dbNeed = iota // scan: no database is an error
	dbOptional               // evaluate: policy still runs, vulnerability_data_unavailable fires
)

// openedDB is an open vulnerability database, the time of its newest
// successful sync or import (zero: none on record) and warnings about its age.
type openedDB struct {
	*vulndb.DB
	Newest   time.Time
	Warnings []string
}

// openVulnDB opens an existing vulnerability database: no command but db
// update and import ever creates one. A missing database is an error when
// need is dbRequired, and a nil DB (with no error) when dbOptional. Its age is
// a warning, or an error past requireFresh (0: no limit).
func openVulnDB(ctx context.Context, o *dbOptions, need dbNeed, requireFresh time.Duration) (*openedDB, error) {
	p, err := o.path()
	if err != nil {
		return nil, err
	}
	db, err := noteMigration(vulndb.OpenExisting(ctx, p))
	switch {
	case errors.Is(err, vulndb.ErrNoDatabase) && need == dbOptional:
		return &openedDB{}, nil
	case errors.Is(err, vulndb.ErrNoDatabase):
		return nil, fmt.Errorf("no vulnerability database at %s: run `plimsoll db update` (or `plimsoll db import PATH` offline) first", p)
	case err != nil:
		return nil, err
	}
	states, err := db.FeedStates(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	out := &openedDB{DB: db}
	for _, s := range states {
		if s.LastSync.After(out.Newest) {
			out.Newest = s.LastSync
		}
	}
	age := time.Since(out.Newest)
	switch {
	case out.Newest.IsZero():
		out.Warnings = append(out.Warnings, "the vulnerability database has no successful sync or import on record: run `plimsoll db update`")
		age = time.Duration(1<<63 - 1)
	case age > 7*24*time.Hour:
		out.Warnings = append(out.Warnings, fmt.Sprintf("the vulnerability database was last updated %s ago: run `plimsoll db update`", age.Round(time.Hour)))
	}
	if requireFresh > 0 && age > requireFresh {
		db.Close()
		return nil, fmt.Errorf("the vulnerability database is older than --require-fresh-db %s: run `plimsoll db update`", requireFresh)
	}
	return out, nil
}

// Close closes the database, if one was opened.
func (o *openedDB) Close() error {
	if o == nil || o.DB == nil {
		return nil
	}
	return o.DB.Close()
}

// readSBOMFile reads an SBOM in any format plimsoll decodes (native JSON,
// CycloneDX, SPDX, syft JSON).
func readSBOMFile(p string) (*sbom.SBOM, error) {
	doc, format, err := decode.File(p)
	if err != nil {
		return nil, fmt.Errorf("sbom: %w", err)
	}
	slog.Debug("read sbom", slog.String("path", p), slog.String("format", format))
	return doc, nil
}
