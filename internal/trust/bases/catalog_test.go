package bases

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSaveLoad(t *testing.T) {
	cat := testCatalog(t)
	cat.Bases[0].Signer = "sha256:" + strings.Repeat("f", 64)
	path := filepath.Join(t.TempDir(), DefaultPath)
	if err := cat.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cat, got); diff != "" {
		t.Errorf("Load(Save) (-want +got):\n%s", diff)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "{\n  \"version\": 1,") || !strings.HasSuffix(string(b), "}\n") {
		t.Errorf("file is not indented JSON ending in a newline:\n%s", b)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load missing = %v, want os.ErrNotExist", err)
	}
}

func TestParseRejects(t *testing.T) {
	ok := `{"version":1,"bases":[{"reference":"r/a:1","platform":"linux/amd64","digest":"` + d("1") +
		`","added":"2026-01-01T00:00:00Z","diffIDs":["` + l("a") + `","` + l("b") + `"],"chainIDs":["` + l("a") + `","CHAIN"]}]}`
	cat := New()
	mustPut(t, cat, candidate("r/a:1", "1", "a", "b"), t0)
	chain := cat.Bases[0].ChainIDs[1]
	valid := strings.Replace(ok, "CHAIN", chain, 1)
	if _, err := Parse([]byte(valid)); err != nil {
		t.Fatalf("Parse of a valid catalogue: %v", err)
	}
	for _, tc := range []struct{ name, in string }{
		{"not json", "{"},
		{"version 2", strings.Replace(valid, `"version":1`, `"version":2`, 1)},
		{"unknown field", strings.Replace(valid, `"version":1`, `"version":1,"extra":true`, 1)},
		{"forged chain id", strings.Replace(ok, "CHAIN", d("9"), 1)},
		{"chain of the wrong layers", strings.Replace(valid, l("b"), l("c"), 1)},
		{"bad digest", strings.Replace(valid, d("1"), "sha256:1", 1)},
		{"no reference", strings.Replace(valid, `"reference":"r/a:1"`, `"reference":""`, 1)},
		{"twice", strings.Replace(valid, "]}]}", "]},"+valid[strings.Index(valid, "[{")+1:len(valid)-2]+"]}", 1)},
		{"no layers", `{"version":1,"bases":[{"reference":"r","platform":"p","digest":"` + d("1") + `","diffIDs":[],"chainIDs":[]}]}`},
		{"trailing data", valid + "{}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse([]byte(tc.in)); !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse = %v, want ErrInvalid", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	cat := New()
	if _, err := cat.Put(candidate("r/a:1", "1", "a", "b"), t0); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "c.json")
	if err := cat.Save(path); err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"version":1,"bases":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted a catalogue Validate rejects: %v", err)
		}
		x := NewIndex(c)
		for _, base := range c.Bases {
			m, err := x.Detect(base.DiffIDs)
			if err != nil || m.Layers != len(base.DiffIDs) {
				t.Fatalf("a base does not detect itself: %+v, %v", m, err)
			}
		}
	})
}
