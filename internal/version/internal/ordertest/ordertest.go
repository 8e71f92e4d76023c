// Package ordertest checks that a version comparator is a total order. The
// scheme packages use it from their table tests (ascending chains) and from
// their fuzz targets (reflexivity, antisymmetry and transitivity).
package ordertest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Sign maps any integer to -1, 0 or 1.
func Sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Laws reports the first violation of the total-order laws among a, b and c
// under cmp, or nil. Every permutation of the three values is checked.
func Laws[V any](a, b, c V, cmp func(x, y V) int) error {
	vs := []V{a, b, c}
	for i := range vs {
		if got := cmp(vs[i], vs[i]); got != 0 {
			return fmt.Errorf("not reflexive: cmp(%v, %v) = %d", vs[i], vs[i], got)
		}
		for j := range vs {
			x, y := cmp(vs[i], vs[j]), cmp(vs[j], vs[i])
			if x < -1 || x > 1 {
				return fmt.Errorf("cmp(%v, %v) = %d, want -1, 0 or 1", vs[i], vs[j], x)
			}
			if x != -y {
				return fmt.Errorf("not antisymmetric: cmp(%v, %v) = %d but cmp(%v, %v) = %d", vs[i], vs[j], x, vs[j], vs[i], y)
			}
			for k := range vs {
				if err := transitive(vs[i], vs[j], vs[k], cmp); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func transitive[V any](x, y, z V, cmp func(x, y V) int) error {
	xy, yz, xz := cmp(x, y), cmp(y, z), cmp(x, z)
	switch {
	case xy <= 0 && yz <= 0 && xz > 0,
		xy >= 0 && yz >= 0 && xz < 0,
		xy == 0 && yz == 0 && xz != 0:
		return fmt.Errorf("not transitive: cmp(%v, %v) = %d, cmp(%v, %v) = %d, cmp(%v, %v) = %d", x, y, xy, y, z, yz, x, z, xz)
	}
	return nil
}

// Ascending checks that every version in chain, parsed with parse, compares
// below every later one, in both directions. It reports failures on t.
func Ascending[V any](t *testing.T, chain []string, parse func(string) (V, error), cmp func(x, y V) int) {
	t.Helper()
	vs := make([]V, len(chain))
	for i, s := range chain {
		v, err := parse(s)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		vs[i] = v
	}
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			if got := cmp(vs[i], vs[j]); got != -1 {
				t.Errorf("cmp(%q, %q) = %d, want -1", chain[i], chain[j], got)
			}
			if got := cmp(vs[j], vs[i]); got != 1 {
				t.Errorf("cmp(%q, %q) = %d, want 1", chain[j], chain[i], got)
			}
		}
	}
}

// Case is one expected comparison for Table.
type Case struct {
	A, B string
	Want int
}

// Table checks each case in both directions.
func Table[V any](t *testing.T, cases []Case, parse func(string) (V, error), cmp func(x, y V) int) {
	t.Helper()
	for _, tc := range cases {
		a, err := parse(tc.A)
		if err != nil {
			t.Errorf("parse %q: %v", tc.A, err)
			continue
		}
		b, err := parse(tc.B)
		if err != nil {
			t.Errorf("parse %q: %v", tc.B, err)
			continue
		}
		if got := cmp(a, b); got != tc.Want {
			t.Errorf("cmp(%q, %q) = %d, want %d", tc.A, tc.B, got, tc.Want)
		}
		if got := cmp(b, a); got != -tc.Want {
			t.Errorf("cmp(%q, %q) = %d, want %d", tc.B, tc.A, got, -tc.Want)
		}
	}
}

// Fuzz runs the total-order laws on three fuzzed strings: any that parse must
// satisfy reflexivity, antisymmetry and transitivity with the others.
func Fuzz[V any](t *testing.T, a, b, c string, parse func(string) (V, error), cmp func(x, y V) int) {
	t.Helper()
	var vs []V
	for _, s := range []string{a, b, c} {
		if v, err := parse(s); err == nil {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return
	}
	for len(vs) < 3 {
		vs = append(vs, vs[len(vs)-1])
	}
	if err := Laws(vs[0], vs[1], vs[2], cmp); err != nil {
		t.Fatalf("inputs %q, %q, %q: %v", a, b, c, err)
	}
}

// File checks every line "a<TAB>b<TAB>want" of a reference file, where want
// is -1, 0 or 1 as a reference implementation ordered a and b.
func File[V any](t *testing.T, path string, parse func(string) (V, error), cmp func(x, y V) int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []Case
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("%s:%d: want 3 tab-separated fields, got %d", path, i+1, len(f))
		}
		want, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		cases = append(cases, Case{A: f[0], B: f[1], Want: want})
	}
	if len(cases) < 100 {
		t.Fatalf("%s: only %d cases", path, len(cases))
	}
	Table(t, cases, parse, cmp)
}

// AddSeeds adds the pairs of a reference file (see File) to a fuzz target's
// seed corpus as (a, b, a). A missing file adds nothing.
func AddSeeds(f *testing.F, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if a, rest, ok := strings.Cut(line, "\t"); ok {
			b, _, _ := strings.Cut(rest, "\t")
			f.Add(a, b, a)
		}
	}
}
