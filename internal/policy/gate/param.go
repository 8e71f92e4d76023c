package gate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ParamType is the type of a trigger parameter's value. Values arrive as
// strings, as Anchore bundles carry them.
type ParamType string

// The parameter types.
const (
	String ParamType = "string"
	Int    ParamType = "int"
	Float  ParamType = "float"
	Bool   ParamType = "bool"
	Enum   ParamType = "enum"   // one of Param.Enum
	List   ParamType = "list"   // comma-separated strings
	Regexp ParamType = "regexp" // a Go (RE2) regular expression
	Size   ParamType = "size"   // bytes, with optional unit: 10MB, 1.5GiB
)

// Param describes one parameter of a trigger.
type Param struct {
	Name        string    `json:"name"`
	Type        ParamType `json:"type"`
	Required    bool      `json:"required,omitempty"`
	Default     string    `json:"default,omitempty"`
	Enum        []string  `json:"enum,omitempty"`
	Description string    `json:"description"`
	// Unsupported marks a parameter Anchore had that plimsoll accepts, so
	// bundles run unchanged, but does not evaluate yet; using it is a warning.
	Unsupported bool `json:"unsupported,omitempty"`
}

// Validate checks one value against the parameter's type.
func (p Param) Validate(v string) error {
	switch p.Type {
	case Int:
		if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil {
			return fmt.Errorf("%q is not an integer", v)
		}
	case Float:
		if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
	case Bool:
		if _, err := strconv.ParseBool(strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
	case Enum:
		if !slices.Contains(p.Enum, p.Canonical(v)) {
			return fmt.Errorf("%q is not one of %s", v, strings.Join(p.Enum, ", "))
		}
	case Regexp:
		if _, err := regexp.Compile(v); err != nil {
			return fmt.Errorf("bad regular expression: %w", err)
		}
	case Size:
		if _, err := ParseSize(v); err != nil {
			return err
		}
	}
	return nil
}

// Canonical returns an enum value as the parameter spells it ("from" is
// FROM, "Blacklist" is blacklist), since Anchore bundles vary the case; other
// values are returned as given.
func (p Param) Canonical(v string) string {
	if p.Type != Enum {
		return v
	}
	for _, e := range p.Enum {
		if strings.EqualFold(e, strings.TrimSpace(v)) {
			return e
		}
	}
	return v
}

// Args are a rule's parameter values, validated against the trigger's Params,
// with defaults filled in. A parameter neither given nor defaulted is absent.
type Args map[string]string

// Has reports whether the parameter has a value.
func (a Args) Has(name string) bool { _, ok := a[name]; return ok }

// String returns the value as given.
func (a Args) String(name string) string { return a[name] }

// Bool returns a validated bool parameter; false when absent.
func (a Args) Bool(name string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(a[name]))
	return b
}

// Int returns a validated int parameter; 0 when absent.
func (a Args) Int(name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(a[name]), 10, 64)
	return n
}

// Float returns a validated float parameter; 0 when absent.
func (a Args) Float(name string) float64 {
	n, _ := strconv.ParseFloat(strings.TrimSpace(a[name]), 64)
	return n
}

// List returns a comma-separated parameter's trimmed, non-empty items.
func (a Args) List(name string) []string {
	var out []string
	for s := range strings.SplitSeq(a[name], ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Regexp returns a validated regexp parameter; nil when absent.
func (a Args) Regexp(name string) *regexp.Regexp {
	v, ok := a[name]
	if !ok {
		return nil
	}
	re, err := regexp.Compile(v)
	if err != nil {
		return nil
	}
	return re
}

// Size returns a validated size parameter in bytes.
func (a Args) Size(name string) int64 {
	n, _ := ParseSize(a[name])
	return n
}

var sizePattern = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$`)

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize parses a byte count with an optional decimal (kB, MB, GB, TB) or
// binary (KiB, MiB, GiB, TiB) unit, case-insensitive.
func ParseSize(s string) (int64, error) {
	m := sizePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size (like 500MB or 1.5GiB)", s)
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return 0, fmt.Errorf("%q has an unknown size unit %q", s, m[2])
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil || n*unit > 1<<62 {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return int64(n * unit), nil
}
