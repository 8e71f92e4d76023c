package bases

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// d is a digest named by one hex digit (manifest digests).
func d(c string) string { return "sha256:" + strings.Repeat(c, 64) }

// l is the diffID of the layer named c (any letter).
func l(c string) string {
	sum := sha256.Sum256([]byte(c))
	return "sha256:" + hex.EncodeToString(sum[:])
}

var (
	t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	t1 = t0.Add(48 * time.Hour)
)

// candidate is an approved base with the given layers (one letter each).
func candidate(ref, digest string, layers ...string) Candidate {
	c := Candidate{Reference: ref, Platform: "linux/amd64", Digest: d(digest)}
	for _, name := range layers {
		c.DiffIDs = append(c.DiffIDs, l(name))
	}
	return c
}

func mustPut(t *testing.T, cat *Catalog, c Candidate, now time.Time) Change {
	t.Helper()
	ch, err := cat.Put(c, now)
	if err != nil {
		t.Fatalf("Put %s: %v", c.Reference, err)
	}
	return ch
}

func TestPut(t *testing.T) {
	cat := New()
	steps := []struct {
		c    Candidate
		now  time.Time
		want Change
	}{
		{candidate("r/debian:12", "1", "a"), t0, Added},
		{candidate("r/debian:12", "1", "a"), t1, Unchanged},
		{candidate("r/debian:12", "2", "a", "b"), t1, Updated},
		{candidate("r/python:3", "3", "a", "c"), t1, Added},
	}
	for i, s := range steps {
		if got := mustPut(t, cat, s.c, s.now); got != s.want {
			t.Errorf("step %d: Put = %s, want %s", i, got, s.want)
		}
	}
	if len(cat.Bases) != 2 {
		t.Fatalf("got %d bases, want 2", len(cat.Bases))
	}
	deb := cat.Bases[0]
	if deb.Reference != "r/debian:12" || deb.Digest != d("2") || !deb.Added.Equal(t1) {
		t.Errorf("debian = %s %s added %v, want r/debian:12 %s added %v", deb.Reference, deb.Digest, deb.Added, d("2"), t1)
	}
	want := []Superseded{{Digest: d("1"), Added: t0, Replaced: t1, DiffIDs: []string{l("a")}, ChainIDs: []string{l("a")}}}
	if diff := cmp.Diff(want, deb.Superseded); diff != "" {
		t.Errorf("superseded (-want +got):\n%s", diff)
	}
	// The old digest coming back is current again and no longer superseded.
	if got := mustPut(t, cat, candidate("r/debian:12", "1", "a"), t1.Add(time.Hour)); got != Updated {
		t.Errorf("revert: Put = %s, want updated", got)
	}
	var sup []string
	for _, s := range cat.Bases[0].Superseded {
		sup = append(sup, s.Digest)
	}
	if diff := cmp.Diff([]string{d("2")}, sup); diff != "" {
		t.Errorf("superseded after revert (-want +got):\n%s", diff)
	}
}

func TestPutRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Candidate
	}{
		{"no layers", candidate("r/x:1", "1")},
		{"bad diffID", Candidate{Reference: "r/x:1", Digest: d("1"), DiffIDs: []string{"sha256:zz"}}},
		{"bad digest", Candidate{Reference: "r/x:1", Digest: "md5:1", DiffIDs: []string{l("a")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New().Put(tc.c, t0); err == nil {
				t.Error("Put succeeded, want an error")
			}
		})
	}
}

func TestRemove(t *testing.T) {
	cat := New()
	mustPut(t, cat, candidate("r/a:1", "1", "a"), t0)
	arm := candidate("r/a:1", "2", "b")
	arm.Platform = "linux/arm64"
	mustPut(t, cat, arm, t0)
	mustPut(t, cat, candidate("r/b:1", "3", "c"), t0)
	if n := cat.Remove("r/a:1", "linux/arm64"); n != 1 {
		t.Errorf("Remove one platform = %d, want 1", n)
	}
	if n := cat.Remove("r/a:1", ""); n != 1 {
		t.Errorf("Remove all platforms = %d, want 1", n)
	}
	if n := cat.Remove("r/nope:1", ""); n != 0 {
		t.Errorf("Remove missing = %d, want 0", n)
	}
	if len(cat.Bases) != 1 || cat.Bases[0].Reference != "r/b:1" {
		t.Errorf("left %v, want only r/b:1", cat.Bases)
	}
}

// catalogue: debian (a), python on debian (a b c), distroless (x y), and
// alpine whose tag moved from (p) to (q).
func testCatalog(t *testing.T) *Catalog {
	t.Helper()
	cat := New()
	mustPut(t, cat, candidate("r/debian:12", "1", "a"), t0)
	mustPut(t, cat, candidate("r/python:3", "2", "a", "b", "c"), t0)
	mustPut(t, cat, candidate("r/distroless:1", "3", "x", "y"), t0)
	mustPut(t, cat, candidate("r/alpine:3", "4", "p"), t0)
	mustPut(t, cat, candidate("r/alpine:3", "5", "q"), t1)
	return cat
}

func TestDetect(t *testing.T) {
	x := NewIndex(testCatalog(t))
	type result struct {
		Layers, Shared int
		Refs           []string
		Current        bool
		Scratch        bool
	}
	for _, tc := range []struct {
		name   string
		layers string
		want   result
	}{
		{"scratch", "", result{Scratch: true}},
		{"on debian", "az", result{Layers: 1, Shared: 1, Refs: []string{"r/debian:12@1"}, Current: true}},
		{"debian itself", "a", result{Layers: 1, Shared: 1, Refs: []string{"r/debian:12@1"}, Current: true}},
		{"on python, nearest wins over debian", "abcz", result{Layers: 3, Shared: 3, Refs: []string{"r/python:3@2"}, Current: true}},
		{"shares part of python: debian is the base", "abz", result{Layers: 1, Shared: 2, Refs: []string{"r/debian:12@1"}, Current: true}},
		{"part of distroless only: no base", "xz", result{Shared: 1}},
		{"unrelated", "zz", result{}},
		{"same layers higher up do not count", "zabc", result{}},
		{"superseded alpine", "pz", result{Layers: 1, Shared: 1, Refs: []string{"r/alpine:3@4"}}},
		{"current alpine", "qz", result{Layers: 1, Shared: 1, Refs: []string{"r/alpine:3@5"}, Current: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diffIDs []string
			for _, c := range tc.layers {
				diffIDs = append(diffIDs, l(string(c)))
			}
			m, err := x.Detect(diffIDs)
			if err != nil {
				t.Fatal(err)
			}
			got := result{Layers: m.Layers, Shared: m.Shared, Current: m.Current(), Scratch: m.Scratch}
			for _, h := range m.Hits {
				got.Refs = append(got.Refs, h.Base.Reference+"@"+h.Digest()[7:8])
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Detect (-want +got):\n%s", diff)
			}
			if m.Found() != (tc.want.Layers > 0) {
				t.Errorf("Found = %v with %d layers", m.Found(), m.Layers)
			}
		})
	}
	if _, err := x.Detect([]string{"sha256:nothex"}); err == nil {
		t.Error("Detect of a bad diffID succeeded")
	}
}

func TestDetectSameStackTwoTags(t *testing.T) {
	cat := New()
	mustPut(t, cat, candidate("r/debian:12", "1", "a"), t0)
	mustPut(t, cat, candidate("r/debian:bookworm", "1", "a"), t0)
	m, err := NewIndex(cat).Detect([]string{l("a"), l("b")})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Hits) != 2 {
		t.Errorf("got %d hits, want both tags", len(m.Hits))
	}
}

func TestCheckHints(t *testing.T) {
	x := NewIndex(testCatalog(t))
	onDebian, _ := x.Detect([]string{l("a"), l("z")})
	none, _ := x.Detect([]string{l("z")})
	for _, tc := range []struct {
		name string
		m    Match
		ann  map[string]string
		want int
	}{
		{"no annotations", onDebian, nil, 0},
		{"agreeing digest", onDebian, map[string]string{AnnotationBaseDigest: d("1"), AnnotationBaseName: "r/debian:12"}, 0},
		{"name only", onDebian, map[string]string{AnnotationBaseName: "r/debian:12"}, 0},
		{"disagreeing digest", onDebian, map[string]string{AnnotationBaseDigest: d("2")}, 1},
		{"claim without a match", none, map[string]string{AnnotationBaseDigest: d("1")}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CheckHints(tc.m, tc.ann)
			if len(got) != tc.want {
				t.Errorf("CheckHints = %q, want %d warnings", got, tc.want)
			}
		})
	}
}

// BenchmarkDetect shows detection is linear in the image's layers.
func BenchmarkDetect(b *testing.B) {
	cat := New()
	for i := range 1000 {
		c := Candidate{Reference: fmt.Sprintf("r/base%d:1", i), Platform: "linux/amd64", Digest: fmt.Sprintf("sha256:%064x", i)}
		for j := range 10 {
			c.DiffIDs = append(c.DiffIDs, fmt.Sprintf("sha256:%064x", i*100+j+1))
		}
		if _, err := cat.Put(c, t0); err != nil {
			b.Fatal(err)
		}
	}
	x := NewIndex(cat)
	var diffIDs []string
	for j := range 100 {
		diffIDs = append(diffIDs, fmt.Sprintf("sha256:%064x", 1_000_000+j))
	}
	b.ResetTimer()
	for range b.N {
		if _, err := x.Detect(diffIDs); err != nil {
			b.Fatal(err)
		}
	}
}
