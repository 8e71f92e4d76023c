package slab

import "testing"

func TestCut(t *testing.T) {
	var free []int
	a := Cut(&free, 3, 8)
	b := Cut(&free, 4, 8)
	if len(a) != 3 || cap(a) != 3 || len(b) != 4 || cap(b) != 4 {
		t.Fatalf("lengths and capacities: a %d/%d, b %d/%d, want 3/3 and 4/4", len(a), cap(a), len(b), cap(b))
	}
	if &free[0] != &a[0] || &free[3] != &b[0] || len(free) != 7 {
		t.Errorf("a and b are not the first seven elements of one array")
	}
	copy(b, []int{1, 2, 3, 4})
	if grown := append(a, 9); b[0] != 1 || &grown[0] == &a[0] {
		t.Errorf("appending to a wrote into its array (b = %v) instead of copying", b)
	}
	c := Cut(&free, 2, 8) // one left in the array: a new one
	if len(c) != 2 || cap(c) != 2 || c[0] != 0 || c[1] != 0 {
		t.Errorf("c = %v (cap %d), want two zeros with capacity 2", c, cap(c))
	}
	if cap(free) != 8 || len(free) != 2 {
		t.Errorf("free: len %d cap %d, want a new array of 8 with 2 used", len(free), cap(free))
	}
	if big := Cut(&free, 20, 8); len(big) != 20 || cap(big) != 20 {
		t.Errorf("a cut larger than a chunk: len %d cap %d, want 20/20", len(big), cap(big))
	}
	if z := Cut(&free, 0, 0); len(z) != 0 {
		t.Errorf("an empty cut has %d elements", len(z))
	}
}
