// Package gate defines what a policy gate is and what it reads: the [Input]
// analysis of one image (identity, layers, configuration, history, Dockerfile,
// SBOM, vulnerability findings, file index), the [Trigger]s a gate offers with
// their typed [Param]s, and the [Fire]s a compiled trigger reports, each naming
// the layer its evidence came from.
//
// Gates live one per package under internal/policy/gate/<name>; the policy
// package lists them explicitly.
package gate

import (
	"context"
	"time"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// NoLayer is the Fire.Layer of evidence that belongs to no layer (the image as
// a whole, or facts not available).
const NoLayer = -1

// Gate is a named group of triggers.
type Gate interface {
	Name() string
	Description() string
	Triggers() []Trigger
}

// Trigger is one check a rule can name. Compile turns a rule's validated
// parameters into a Check; parameters were already checked against Params
// (names, required, types, enums), so Compile validates only combinations.
type Trigger interface {
	Name() string
	Description() string
	Params() []Param
	Compile(a Args) (Check, error)
}

// Requester is implemented by triggers that need file contents held by the
// image walk; their requests join the catalogers' so the layers are read once.
type Requester interface {
	Requests() []layerfs.Request
}

// ArgsRequester is implemented by triggers whose file requests depend on the
// rule's parameters (a named file).
type ArgsRequester interface {
	RequestsFor(a Args) []layerfs.Request
}

// Check evaluates one compiled trigger against an image.
type Check func(ctx context.Context, in *Input) ([]Fire, error)

// Fire is one firing of a trigger: its stable trigger ID (what allowlist items
// name), a human detail, and the evidence's layer (NoLayer for image-wide facts).
type Fire struct {
	ID string `json:"triggerId"`
	// Alt are further stable IDs allowlist items may name instead (for a
	// vulnerability, "<vuln id>+<purl>").
	Alt    []string `json:"altTriggerIds,omitempty"`
	Detail string   `json:"detail"`
	Layer  int      `json:"layer"`
	Path   string   `json:"path,omitempty"`
	// Anchore is the trigger ID Anchore Engine gave this firing, when it
	// differs from ID (mostly AnchoreID of Anchore's message): what the
	// whitelists of Anchore bundles name. Empty means ID is Anchore's too.
	Anchore string `json:"anchoreTriggerId,omitempty"`
}

// Input is the analysis of one image that gates read. It is serialisable (all
// but FS and Env), so a stored analysis can be evaluated again without the image.
type Input struct {
	Image      Identity            `json:"image"`
	Layers     []Layer             `json:"layers"`
	Config     *image.ConfigView   `json:"config,omitempty"`
	History    []image.HistoryView `json:"history,omitempty"`
	Dockerfile string              `json:"dockerfile,omitempty"`
	// DockerfileActual is true when Dockerfile is the real one the user gave,
	// false when it was reconstructed from the image history.
	DockerfileActual bool            `json:"dockerfileActual,omitempty"`
	Distro           *sbom.Distro    `json:"distro,omitempty"`
	SBOM             *sbom.SBOM      `json:"sbom,omitempty"`
	Findings         []match.Finding `json:"findings,omitempty"`
	// Vulnerabilities is false when no vulnerability data was consulted (no
	// database); VulnSync is when the data was last updated (zero: never).
	Vulnerabilities bool      `json:"vulnerabilities"`
	VulnSync        time.Time `json:"vulnSync"`
	// Published maps a finding's ID to when its advisory was first published,
	// where known; filled only when a rule asks (max_days_since_creation).
	Published map[string]time.Time `json:"published,omitempty"`
	// FixDates maps a finding's key (vulnerabilities.Key) to when its fix
	// became available, where known; WontFix holds the keys of findings the
	// distribution marked as not to be fixed. Both are filled only when a rule
	// asks (max_days_since_fix, vendor_only).
	FixDates map[string]time.Time `json:"fixDates,omitempty"`
	WontFix  map[string]bool      `json:"wontFix,omitempty"`
	// Uncovered names the ecosystems the image's packages need (its
	// distribution's, "Debian:12", or a language's, "npm") for which the
	// vulnerability data holds no advisory at all.
	Uncovered []string `json:"uncovered,omitempty"`
	// Env is the unmasked environment (KEY=VALUE), read by secret scans only
	// and never written out.
	Env []string `json:"-"`
	// FS is the image's file index with the requested contents; nil when the
	// input is an SBOM.
	FS  Files     `json:"-"`
	Now time.Time `json:"now"`
	// Trust is what signature verification and base detection found; nil
	// when neither ran (the trust gate then fails closed).
	Trust *Trust `json:"trust,omitempty"`
}

// Identity is the image as mappings see it.
type Identity struct {
	Reference    string     `json:"reference"`
	Registry     string     `json:"registry,omitempty"`
	Repository   string     `json:"repository,omitempty"`
	Tag          string     `json:"tag,omitempty"`
	Digest       string     `json:"digest,omitempty"` // manifest digest, sha256:…
	ID           string     `json:"id,omitempty"`     // config digest, sha256:…
	OS           string     `json:"os,omitempty"`
	Architecture string     `json:"architecture,omitempty"`
	Size         int64      `json:"size"`
	Created      *time.Time `json:"created,omitempty"`
}

// Layer is one layer of the image.
type Layer struct {
	Index     int    `json:"index"`
	DiffID    string `json:"diffID,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
}

// Files is the file index gates read: layerfs.FS provides it.
type Files interface {
	Squashed() []*layerfs.File
	ReadFile(p string) ([]byte, error)
}

var _ Files = (*layerfs.FS)(nil)

// TopLayer is the index of the image's last layer, where image-wide facts of
// the final configuration are attributed; NoLayer for an image without layers.
func (in *Input) TopLayer() int {
	if len(in.Layers) == 0 {
		return NoLayer
	}
	return len(in.Layers) - 1
}

// Packages returns the SBOM's packages, or none.
func (in *Input) Packages() []sbom.Package {
	if in.SBOM == nil {
		return nil
	}
	return in.SBOM.Packages
}
