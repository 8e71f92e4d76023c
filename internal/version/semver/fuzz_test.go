package semver

import (
	"testing"

	"github.com/plimsoll/plimsoll/internal/version/internal/ordertest"
)

// FuzzCompare checks that Parse never panics and that Compare is a total
// order (reflexive, antisymmetric, transitive) on whatever Parse accepts.
func FuzzCompare(f *testing.F) {
	var seeds []string
	for _, chain := range ascending {
		seeds = append(seeds, chain...)
	}
	for i, s := range seeds {
		f.Add(s, seeds[(i+1)%len(seeds)], seeds[(i+7)%len(seeds)])
	}
	ordertest.AddSeeds(f, "testdata/reference.tsv")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ordertest.Fuzz(t, a, b, c, Parse, compare)
	})
}
