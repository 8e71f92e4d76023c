package vulndb

import (
	"encoding/json"
)

// Vulnerability is one OSV record (https://ossf.github.io/osv-schema/), the
// advisory model of plimsoll. Every feed is normalised to it.
type Vulnerability struct {
	SchemaVersion    string          `json:"schema_version,omitempty"`
	ID               string          `json:"id"`
	Modified         Timestamp       `json:"modified"`
	Published        *Timestamp      `json:"published,omitempty"`
	Withdrawn        *Timestamp      `json:"withdrawn,omitempty"`
	Aliases          []string        `json:"aliases,omitempty"`
	Upstream         []string        `json:"upstream,omitempty"`
	Related          []string        `json:"related,omitempty"`
	Summary          string          `json:"summary,omitempty"`
	Details          string          `json:"details,omitempty"`
	Severity         []Severity      `json:"severity,omitempty"`
	Affected         []Affected      `json:"affected,omitempty"`
	References       []Reference     `json:"references,omitempty"`
	Credits          []Credit        `json:"credits,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// IsWithdrawn reports whether the record has been withdrawn upstream. Withdrawn
// records are stored but never matched.
func (v *Vulnerability) IsWithdrawn() bool { return v.Withdrawn != nil }

// Severity is one severity entry: a scoring system and its vector or score.
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Severity types defined by the OSV schema.
const (
	SeverityCVSSv2 = "CVSS_V2"
	SeverityCVSSv3 = "CVSS_V3"
	SeverityCVSSv4 = "CVSS_V4"
	SeverityUbuntu = "Ubuntu"
)

// Affected is one affected package with its ranges and explicit versions.
type Affected struct {
	Package           Package         `json:"package"`
	Severity          []Severity      `json:"severity,omitempty"`
	Ranges            []Range         `json:"ranges,omitempty"`
	Versions          []string        `json:"versions,omitempty"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  json.RawMessage `json:"database_specific,omitempty"`
}

// Package names an affected package.
type Package struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Purl      string `json:"purl,omitempty"`
}

// Range is one range of affected versions, given as ordered events.
type Range struct {
	Type             string          `json:"type"`
	Repo             string          `json:"repo,omitempty"`
	Events           []Event         `json:"events"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Range types defined by the OSV schema.
const (
	RangeSemver    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
	RangeGit       = "GIT"
)

// Event is one range event; exactly one of its fields is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a link to more information.
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// Credit names someone credited for the finding or fix.
type Credit struct {
	Name    string   `json:"name"`
	Contact []string `json:"contact,omitempty"`
	Type    string   `json:"type,omitempty"`
}
