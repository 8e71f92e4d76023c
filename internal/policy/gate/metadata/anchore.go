package metadata

import (
	"slices"
	"strconv"
	"strings"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

var _ gate.AnchoreNamer = attribute{}

// AnchoreIDs: the hash (gate.AnchoreID) of Anchore Engine's message
// "Attribute check for attribute: 'size' check: '>' check_value: '1000'
// matched image value: '5242880'", numbers written as integers as Anchore
// converted them, like_distro as os-release's ID_LIKE (space-separated).
func (attribute) AnchoreIDs(a gate.Args, in *gate.Input, fires []gate.Fire) {
	attr, value := a.String("attribute"), a.String("value")
	var got string
	if slices.Contains(numeric, attr) {
		n, _ := numberOf(attr, in)
		got = pyNumber(n)
		if want, err := number(attr, value); err == nil && a.Has("value") {
			value = pyNumber(want)
		}
	} else {
		sep := ","
		if attr == "like_distro" {
			sep = " "
		}
		got = strings.Join(stringsOf(attr, in), sep)
	}
	msg := "Attribute check for attribute: '" + attr + "' check: '" + a.String("check") + "' check_value: '" + value + "' matched image value: '" + got + "'"
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("metadata", "attribute", msg)
	}
}

// pyNumber writes a whole number as Python's str(int) does, others as str(float).
func pyNumber(n float64) string {
	if n == float64(int64(n)) {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}
