package rust

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/catalogtest"
	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

func read(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadAudit(t *testing.T) {
	got, err := ReadAudit(read(t, "testdata/auditable.elf"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Crate{
		{Name: "hello-app", Version: "0.1.0", Source: "local", Root: true},
		{Name: "itoa", Version: "1.0.10", Source: "crates.io"},
		{Name: "serde", Version: "1.0.193", Source: "crates.io"},
		{Name: "serde_derive", Version: "1.0.193", Source: "crates.io", Kind: "build"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("crates (-want +got):\n%s", diff)
	}
	for name, b := range map[string][]byte{"plain ELF": read(t, "testdata/plain.elf"), "script": []byte("#!/bin/sh\n"), "empty": nil} {
		if _, err := ReadAudit(b); err != errNoAudit {
			t.Errorf("%s: error %v, want errNoAudit", name, err)
		}
	}
}

func TestCatalog(t *testing.T) {
	exe := func(p string, b []byte) imagetest.Entry {
		e := imagetest.File(p, string(b))
		e.Mode = 0o755
		return e
	}
	corrupt := read(t, "testdata/auditable.elf")
	corrupt = append([]byte(nil), corrupt...)
	// Overwrite the section's zlib header: the section is found but does not inflate.
	for i := 0x2053; i < 0x2053+4; i++ {
		corrupt[i] = 0
	}
	s := catalogtest.Run(t, []catalog.Cataloger{New()}, []imagetest.Entry{
		exe("usr/local/bin/hello", read(t, "testdata/auditable.elf")),
		exe("usr/local/bin/plain", read(t, "testdata/plain.elf")),
		exe("usr/local/bin/corrupt", corrupt),
	})
	const p = "/usr/local/bin/hello"
	want := []catalogtest.Brief{
		{Name: "hello-app", Version: "0.1.0", Type: sbom.TypeRustCrate, PURL: "pkg:cargo/hello-app@0.1.0", Path: p},
		{Name: "itoa", Version: "1.0.10", Type: sbom.TypeRustCrate, PURL: "pkg:cargo/itoa@1.0.10", Path: p},
		{Name: "serde", Version: "1.0.193", Type: sbom.TypeRustCrate, PURL: "pkg:cargo/serde@1.0.193", Path: p},
	}
	if diff := cmp.Diff(want, catalogtest.Briefs(s)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != "/usr/local/bin/corrupt" {
		t.Errorf("warnings = %v, want one naming the corrupt binary", s.Warnings)
	}
}
