// Package slab hands out many small slices cut from few large arrays: a scan
// builds tens of thousands of short lists (a finding's aliases, evidence and
// references, a brief's URLs), and one allocation each cost more in the
// allocator and the garbage collector than the lists themselves.
package slab

// Cut returns n zero elements cut off the front of *free's unused capacity,
// first starting a new array of max(n, chunk) elements in *free when too few
// are left. The result's capacity is n, so appending to it copies rather than
// writing into the next slice cut.
//
// Every slice cut from one array keeps the whole array alive: cut the slices
// of values that live about as long as each other.
func Cut[E any](free *[]E, n, chunk int) []E {
	l := *free
	if cap(l)-len(l) < n {
		l = make([]E, 0, max(n, chunk, 1))
	}
	*free = l[:len(l)+n]
	return l[len(l) : len(l)+n : len(l)+n]
}
