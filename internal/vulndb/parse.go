package vulndb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxRecordSize is the largest OSV record Parse accepts.
const MaxRecordSize = 8 << 20

// ErrInvalidRecord is wrapped by every error Parse returns for a record that is
// not valid OSV.
var ErrInvalidRecord = errors.New("invalid OSV record")

// Timestamp is an OSV RFC 3339 timestamp. Parsing is lenient about one defect
// seen in real feeds, an unpadded year ("1-01-01T00:00:00Z").
type Timestamp struct{ time.Time }

// UnmarshalJSON parses an RFC 3339 string.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalJSON writes the time in RFC 3339, UTC.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}

// ParseTime parses an OSV timestamp.
func ParseTime(s string) (time.Time, error) {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return v.UTC(), nil
	}
	if year, rest, ok := strings.Cut(s, "-"); ok && len(year) < 4 && len(year) > 0 {
		if v, err2 := time.Parse(time.RFC3339Nano, strings.Repeat("0", 4-len(year))+year+"-"+rest); err2 == nil {
			return v.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339", s)
}

// UnmarshalJSON decodes a record, failing when "modified", which the schema
// requires, is missing.
func (v *Vulnerability) UnmarshalJSON(b []byte) error {
	type plain Vulnerability
	aux := struct {
		*plain
		Modified *Timestamp `json:"modified"`
	}{plain: (*plain)(v)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.Modified == nil {
		return fmt.Errorf("%s: modified is missing", v.ID)
	}
	v.Modified = *aux.Modified
	return nil
}

// Parse decodes and validates one OSV record. Unknown fields are ignored, as the
// schema asks; the errors name the field at fault and wrap ErrInvalidRecord.
func Parse(data []byte) (*Vulnerability, error) {
	if len(data) > MaxRecordSize {
		return nil, fmt.Errorf("%w: %d bytes exceeds the %d byte limit", ErrInvalidRecord, len(data), MaxRecordSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var v Vulnerability
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	return &v, nil
}

// Validate checks the parts of the schema that plimsoll relies on.
func (v *Vulnerability) Validate() error {
	if err := ValidateID(v.ID); err != nil {
		return err
	}
	for i, a := range v.Affected {
		if err := a.validate(); err != nil {
			return fmt.Errorf("%w: %s: affected[%d]: %w", ErrInvalidRecord, v.ID, i, err)
		}
	}
	return nil
}

// ValidateID checks that id is a usable OSV identifier: non-empty, at most 256
// bytes, letters, digits and ".-_:" only, so it is safe in a URL path or a file name.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: id is missing", ErrInvalidRecord)
	}
	if len(id) > 256 || id == "." || id == ".." {
		return fmt.Errorf("%w: id %.40q is not valid", ErrInvalidRecord, id)
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_:", r)
		if !ok {
			return fmt.Errorf("%w: id %.40q has character %q", ErrInvalidRecord, id, r)
		}
	}
	return nil
}

func (a *Affected) validate() error {
	hasGit := false
	for i, r := range a.Ranges {
		if err := r.validate(); err != nil {
			return fmt.Errorf("ranges[%d]: %w", i, err)
		}
		hasGit = hasGit || r.Type == RangeGit
	}
	if a.Package.Ecosystem == "" && a.Package.Name == "" && a.Package.Purl == "" {
		if !hasGit {
			return errors.New("package is missing and there is no GIT range")
		}
		return nil
	}
	if a.Package.Ecosystem == "" {
		return errors.New("package.ecosystem is missing")
	}
	if a.Package.Name == "" {
		return errors.New("package.name is missing")
	}
	return nil
}

func (r *Range) validate() error {
	switch r.Type {
	case RangeSemver, RangeEcosystem:
	case RangeGit:
		if r.Repo == "" {
			return errors.New("GIT range without repo")
		}
	default:
		return fmt.Errorf("range type %q is not SEMVER, ECOSYSTEM or GIT", r.Type)
	}
	if len(r.Events) == 0 {
		return errors.New("range has no events")
	}
	for i, e := range r.Events {
		n := 0
		for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
			if s != "" {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("events[%d] has %d of introduced/fixed/last_affected/limit, want exactly 1", i, n)
		}
	}
	return nil
}
