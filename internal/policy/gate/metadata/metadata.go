// Package metadata is the metadata gate: checks of image attributes (size,
// architecture, OS, distribution, layer count, age).
package metadata

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Gate is the metadata gate.
type Gate struct{}

var _ gate.Gate = Gate{}

// New returns the gate.
func New() Gate { return Gate{} }

// Name names the gate.
func (Gate) Name() string { return "metadata" }

// Description says what the gate does.
func (Gate) Description() string { return "Checks of the image's attributes." }

// Triggers lists the gate's one trigger.
func (Gate) Triggers() []gate.Trigger { return []gate.Trigger{attribute{}} }

// numeric attributes compare as numbers: size in bytes (value may carry a
// unit), layer_count, age_days (days since the image was created).
var numeric = []string{"size", "layer_count", "age_days"}

var attributes = []string{"size", "architecture", "os_type", "distro", "distro_version", "like_distro", "layer_count", "age_days"}

type attribute struct{}

func (attribute) Name() string { return "attribute" }
func (attribute) Description() string {
	return "Fires when the image attribute passes the check against the value."
}
func (attribute) Params() []gate.Param {
	checks := slices.Concat(gate.StringChecks, []string{">", "<", ">=", "<="})
	return []gate.Param{
		{Name: "attribute", Type: gate.Enum, Required: true, Enum: attributes, Description: "the attribute to check"},
		{Name: "check", Type: gate.Enum, Required: true, Enum: checks, Description: "the condition that fires; >, <, >=, <= for size, layer_count and age_days"},
		{Name: "value", Type: gate.String, Description: "the value to compare with (size takes units: 500MB, 1GiB)"},
	}
}

func (attribute) Compile(a gate.Args) (gate.Check, error) {
	attr, check, value := a.String("attribute"), a.String("check"), a.String("value")
	if check != "exists" && check != "not_exists" && !a.Has("value") {
		return nil, fmt.Errorf("check %s needs a value", check)
	}
	if slices.Contains(numeric, attr) {
		if !slices.Contains(gate.NumberChecks, check) {
			return nil, fmt.Errorf("attribute %s takes one of %s, not %s", attr, strings.Join(gate.NumberChecks, " "), check)
		}
		want, err := number(attr, value)
		if err != nil {
			return nil, err
		}
		return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
			got, ok := numberOf(attr, in)
			if !ok || !gate.Compare(check, got, want) {
				return nil, nil
			}
			return []gate.Fire{fire(attr, strconv.FormatFloat(got, 'f', -1, 64), check, value)}, nil
		}, nil
	}
	if slices.Contains([]string{">", "<", ">=", "<="}, check) {
		return nil, fmt.Errorf("attribute %s is not numeric: check %s does not apply", attr, check)
	}
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		vals := stringsOf(attr, in)
		if !matches(check, vals, value) {
			return nil, nil
		}
		return []gate.Fire{fire(attr, strings.Join(vals, ","), check, value)}, nil
	}, nil
}

func fire(attr, got, check, value string) gate.Fire {
	return gate.Fire{ID: attr, Layer: gate.NoLayer, Detail: fmt.Sprintf("attribute %s is %q: check %s %s", attr, got, check, value)}
}

func number(attr, v string) (float64, error) {
	if attr == "size" {
		n, err := gate.ParseSize(v)
		return float64(n), err
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, fmt.Errorf("value %q of attribute %s is not a number", v, attr)
	}
	return n, nil
}

func numberOf(attr string, in *gate.Input) (float64, bool) {
	switch attr {
	case "size":
		return float64(in.Image.Size), true
	case "layer_count":
		return float64(len(in.Layers)), true
	case "age_days":
		if in.Image.Created == nil {
			return 0, false
		}
		return in.Now.Sub(*in.Image.Created).Hours() / 24, true
	}
	return 0, false
}

// stringsOf returns the attribute's values: one for most, every ID_LIKE entry
// for like_distro; none when unknown.
func stringsOf(attr string, in *gate.Input) []string {
	var v string
	switch attr {
	case "architecture":
		v = in.Image.Architecture
	case "os_type":
		v = in.Image.OS
	case "distro", "distro_version", "like_distro":
		if in.Distro == nil {
			return nil
		}
		switch attr {
		case "distro":
			v = in.Distro.ID
		case "distro_version":
			v = in.Distro.VersionID
		default:
			return in.Distro.IDLike
		}
	}
	if v == "" {
		return nil
	}
	return []string{v}
}

// matches applies a string check to a multi-valued attribute: a positive check
// holds when any value passes, a negative one when no value passes its
// positive form.
func matches(check string, vals []string, value string) bool {
	neg := map[string]string{"!=": "=", "not_like": "like", "not_in": "in"}
	if pos, ok := neg[check]; ok {
		return len(vals) > 0 && !matches(pos, vals, value)
	}
	if check == "exists" || check == "not_exists" {
		return gate.CheckString(check, "", len(vals) > 0, value)
	}
	for _, v := range vals {
		if gate.CheckString(check, v, true, value) {
			return true
		}
	}
	return false
}
