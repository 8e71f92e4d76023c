package gate

import (
	"regexp"
	"slices"
	"strings"
)

// StringChecks are the checks of Anchore's dockerfile instruction and metadata
// attribute triggers, for string values.
var StringChecks = []string{"=", "!=", "exists", "not_exists", "like", "not_like", "in", "not_in"}

// NumberChecks compare numbers.
var NumberChecks = []string{"=", "!=", ">", "<", ">=", "<="}

// CheckString applies a string check to an actual value (present tells whether
// there is one). like and not_like take a regular expression (searched, as
// Anchore did); in and not_in a comma-separated list. A bad regexp never matches.
func CheckString(check string, actual string, present bool, value string) bool {
	switch check {
	case "exists":
		return present
	case "not_exists":
		return !present
	}
	if !present {
		return false
	}
	switch check {
	case "=":
		return actual == value
	case "!=":
		return actual != value
	case "like", "not_like":
		re, err := regexp.Compile(value)
		if err != nil {
			return false
		}
		return re.MatchString(actual) == (check == "like")
	case "in", "not_in":
		var items []string
		for s := range strings.SplitSeq(value, ",") {
			items = append(items, strings.TrimSpace(s))
		}
		return slices.Contains(items, actual) == (check == "in")
	}
	return false
}

// Compare applies a numeric comparison of a to b.
func Compare[T int | int64 | float64](op string, a, b T) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case ">":
		return a > b
	case "<":
		return a < b
	case ">=":
		return a >= b
	case "<=":
		return a <= b
	}
	return false
}

// LayerOfStep returns the layer a history step's effect belongs to: the layer
// it made, or for a step that made none the last layer made before it (the
// first layer when none was).
func LayerOfStep(in *Input, step int) int {
	last := NoLayer
	for i := 0; i <= step && i < len(in.History); i++ {
		if l := in.History[i].Layer; l != nil {
			last = *l
		}
	}
	if last == NoLayer && len(in.Layers) > 0 {
		return 0
	}
	return last
}
