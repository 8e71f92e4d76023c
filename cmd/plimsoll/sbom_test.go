package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

const sbomStatus = `Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5
Installed-Size: 341

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2
`

// sbomLayout writes a three-layer image: a Debian base, an application layer, and
// a layer that deletes part of the application.
func sbomLayout(t *testing.T, layers ...imagetest.Layer) string {
	t.Helper()
	img, err := imagetest.Image{Layers: layers, Config: v1.Config{Cmd: []string{"node", "app.js"}}}.Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := imagetest.WriteOCILayout(dir, imagetest.Tagged{Tag: "1.0", Image: img}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func baseLayer() imagetest.Layer {
	return imagetest.Layer{CreatedBy: "ADD rootfs.tar /", Entries: []imagetest.Entry{
		imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
		imagetest.File("var/lib/dpkg/status", sbomStatus),
		imagetest.File("var/lib/dpkg/info/libssl3:amd64.list", "/usr/lib/x86_64-linux-gnu/libssl.so.3\n"),
		imagetest.File("usr/lib/x86_64-linux-gnu/libssl.so.3", "elf"),
	}}
}

// readSBOM runs plimsoll sbom with -o json to a file and decodes it.
func readSBOM(t *testing.T, args ...string) (*sbom.SBOM, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "sbom.json")
	stdout, stderr, code := run(t, append(append([]string{"sbom"}, args...), "-o", "json="+out, "-o", "table")...)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := sbom.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	// The native JSON is lossless: decoded and encoded again, it is the same bytes.
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := sbom.WriteJSON(&again, doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(raw), again.String()); diff != "" {
		t.Errorf("JSON round trip (-written +re-encoded):\n%s", diff)
	}
	return doc, stdout
}

type pkgRow struct {
	Type         sbom.Type
	Name         string
	Version      string
	PURL         string
	IntroducedBy int
	Path         string
}

func pkgRows(doc *sbom.SBOM) []pkgRow {
	var out []pkgRow
	for _, p := range doc.Packages {
		out = append(out, pkgRow{p.Type, p.Name, p.Version, p.PURL, p.IntroducedBy, p.Locations[0].Path})
	}
	return out
}

func TestSBOMDebian(t *testing.T) {
	layout := sbomLayout(t, baseLayer())
	doc, table := readSBOM(t, "oci-dir:"+layout+":1.0")
	want := []pkgRow{
		{sbom.TypeDeb, "base-files", "12.4+deb12u5", "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12", 0, "/var/lib/dpkg/status"},
		{sbom.TypeDeb, "libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl", 0, "/var/lib/dpkg/status"},
	}
	if diff := cmp.Diff(want, pkgRows(doc)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if len(doc.Files) != 1 || doc.Files[0].Path != "/usr/lib/x86_64-linux-gnu/libssl.so.3" || doc.Files[0].DiffID == "" {
		t.Errorf("files = %+v, want libssl.so.3 with its layer's diffID", doc.Files)
	}
	if doc.Distro == nil || doc.Distro.ID != "debian" || len(doc.Source.Layers) != 1 || doc.Source.ManifestDigest == "" {
		t.Errorf("distro %+v or source %+v incomplete", doc.Distro, doc.Source)
	}
	for _, s := range []string{"NAME", "libssl3", "3.0.11-1~deb12u2", "2 packages"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}
}

func TestSBOMBadOutput(t *testing.T) {
	_, stderr, code := run(t, "sbom", "oci-dir:/nonexistent", "-o", "sarif")
	if code != exitError || !strings.Contains(stderr, "not supported") {
		t.Errorf("exit %d, stderr %q; want 2 and an unsupported-format error", code, stderr)
	}
}

// The end-to-end case: a Debian base, an application layer with an npm package
// and two Python distributions, and a layer that uninstalls one of them.
func TestSBOMLayers(t *testing.T) {
	site := "usr/local/lib/python3.11/site-packages/"
	layout := sbomLayout(t,
		baseLayer(),
		imagetest.Layer{CreatedBy: "RUN npm ci && pip install requests==2.31.0 urllib3==2.0.7", Entries: []imagetest.Entry{
			imagetest.File("app/node_modules/@scope/util/package.json", `{"name":"@scope/util","version":"1.2.3","license":"MIT"}`),
			imagetest.File(site+"requests-2.31.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n"),
			imagetest.File(site+"urllib3-2.0.7.dist-info/METADATA", "Metadata-Version: 2.1\nName: urllib3\nVersion: 2.0.7\nLicense-Expression: MIT\n"),
		}},
		imagetest.Layer{CreatedBy: "RUN pip uninstall -y urllib3", Entries: []imagetest.Entry{
			imagetest.Whiteout(site + "urllib3-2.0.7.dist-info"),
		}},
	)
	doc, _ := readSBOM(t, "oci-dir:"+layout)
	status := "/var/lib/dpkg/status"
	want := []pkgRow{
		{sbom.TypeDeb, "base-files", "12.4+deb12u5", "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12", 0, status},
		{sbom.TypeDeb, "libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl", 0, status},
		{sbom.TypeNpm, "@scope/util", "1.2.3", "pkg:npm/%40scope/util@1.2.3", 1, "/app/node_modules/@scope/util/package.json"},
		{sbom.TypePython, "requests", "2.31.0", "pkg:pypi/requests@2.31.0", 1, "/" + site + "requests-2.31.0.dist-info/METADATA"},
	}
	if diff := cmp.Diff(want, pkgRows(doc)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if n := len(doc.Source.Layers); n != 3 {
		t.Fatalf("%d layers in the source, want 3", n)
	}
	for _, p := range doc.Packages {
		loc := p.Locations[0]
		if loc.DiffID != doc.Source.Layers[loc.Layer].DiffID || loc.DiffID == "" {
			t.Errorf("%s: location diffID %q, want layer %d's %q", p.Name, loc.DiffID, loc.Layer, doc.Source.Layers[loc.Layer].DiffID)
		}
	}
	if got := doc.Source.Layers[1].CreatedBy; !strings.Contains(got, "npm ci") {
		t.Errorf("layer 1 created by %q", got)
	}
}

func TestSBOMWarnings(t *testing.T) {
	layout := sbomLayout(t, imagetest.Layer{Entries: []imagetest.Entry{
		imagetest.File("var/lib/dpkg/status", "Package: a\nVersion: 1\n\nnot a field\n"),
		imagetest.File("app/node_modules/x/package.json", "{not json"),
	}})
	stdout, stderr, code := run(t, "sbom", "oci-dir:"+layout, "-o", "table")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	for _, s := range []string{"WARNINGS (2)", "npm: /app/node_modules/x/package.json: parse package.json", "dpkg: /var/lib/dpkg/status: stanza at line 4"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("table lacks %q:\n%s", s, stdout)
		}
	}
	if !strings.Contains(stderr, "package.json") {
		t.Errorf("stderr does not log the warning:\n%s", stderr)
	}
}

func TestSBOMOptionalCatalogers(t *testing.T) {
	layout := sbomLayout(t, baseLayer())
	if _, stderr, code := run(t, "sbom", "oci-dir:"+layout, "--with-cataloger", "go-binary", "-o", "json"); code != 0 {
		t.Errorf("--with-cataloger go-binary: exit %d, stderr:\n%s", code, stderr)
	}
	_, stderr, code := run(t, "sbom", "oci-dir:"+layout, "--with-cataloger", "nope")
	if code != exitError || !strings.Contains(stderr, `no optional cataloger "nope"`) {
		t.Errorf("--with-cataloger nope: exit %d, stderr %q; want 2 and the optional catalogers named", code, stderr)
	}
}

// A file over the size cap is a warning naming it; the rest is still cataloged
// and the exit code is 0.
func TestSBOMOversizedFile(t *testing.T) {
	big := `{"name":"big","version":"1.0.0","description":"` + strings.Repeat("x", 4096) + `"}`
	layout := sbomLayout(t, baseLayer(), imagetest.Layer{Entries: []imagetest.Entry{
		imagetest.File("app/node_modules/big/package.json", big),
		imagetest.File("app/node_modules/small/package.json", `{"name":"small","version":"2.0.0"}`),
	}})
	doc, _ := readSBOM(t, "oci-dir:"+layout, "--max-file-size", "2048")
	var names []string
	for _, p := range doc.Packages {
		names = append(names, p.Name)
	}
	if diff := cmp.Diff([]string{"base-files", "libssl3", "small"}, names); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	found := false
	for _, w := range doc.Warnings {
		if w.Cataloger == "npm" && w.Path == "/app/node_modules/big/package.json" {
			found = true
		}
	}
	if !found {
		t.Errorf("no npm warning naming the oversized package.json: %v", doc.Warnings)
	}
}

// The same image gives the same bytes, run after run.
func TestSBOMDeterministic(t *testing.T) {
	layout := sbomLayout(t, baseLayer(), imagetest.Layer{Entries: []imagetest.Entry{
		imagetest.File("app/package-lock.json", `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"},"node_modules/b":{"version":"2.0.0","dev":true},"node_modules/c":{"version":"3.0.0"}}}`),
		imagetest.File("usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA", "Name: x\nVersion: 1.0\n"),
	}})
	first, _, code := run(t, "sbom", "oci-dir:"+layout, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for range 3 {
		again, _, _ := run(t, "sbom", "oci-dir:"+layout, "-o", "json")
		if again != first {
			t.Fatalf("two runs differ:\n%s", cmp.Diff(first, again))
		}
	}
}
