package syftjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/plimsoll/plimsoll/internal/sbom"
	"github.com/plimsoll/plimsoll/internal/sbom/internal/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func decodeFile(t *testing.T, name string) *sbom.SBOM {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := Decode(f)
	if err != nil {
		t.Fatalf("Decode %s: %v", name, err)
	}
	return s
}

// TestDecodeGolden keeps the whole decoded document of each syft fixture as
// native JSON: regenerate with -update and review the diff.
func TestDecodeGolden(t *testing.T) {
	for _, name := range []string{"syft-image.json", "syft-dir.json"} {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := sbom.WriteJSON(&got, decodeFile(t, name)); err != nil {
				t.Fatal(err)
			}
			sample.Golden(t, filepath.Join("testdata", strings.TrimSuffix(name, ".json")+".golden"), got.Bytes(), *update)
		})
	}
}

// TestDecodeImage checks what the golden file cannot say by itself: the
// packages of the application layer are attributed to layer 1, the others to
// layer 0, from syft's layer diffIDs.
func TestDecodeImage(t *testing.T) {
	s := decodeFile(t, "syft-image.json")
	type row struct {
		Type          sbom.Type
		Name, Version string
		Layer         int
	}
	var got []row
	for _, p := range s.Packages {
		got = append(got, row{p.Type, p.Name, p.Version, p.IntroducedBy})
	}
	want := []row{
		{sbom.TypeDeb, "base-files", "12.4+deb12u15", 0},
		{sbom.TypeDeb, "bash", "5.2.15-2+b13", 0},
		{sbom.TypeDeb, "coreutils", "9.1-1", 0},
		{sbom.TypeDeb, "gcc-12-base", "12.2.0-14+deb12u1", 0},
		{sbom.TypeDeb, "libc6", "2.36-9+deb12u14", 0},
		{sbom.TypeDeb, "libgcc-s1", "12.2.0-14+deb12u1", 0},
		{sbom.TypeDeb, "perl-base", "5.36.0-7+deb12u3", 0},
		{sbom.TypeDeb, "tzdata", "2026b-0+deb12u1", 0},
		{sbom.TypeDeb, "zlib1g", "1:1.2.13.dfsg-1", 0},
		{sbom.TypeNpm, "@scope/util", "2.0.1", 1},
		{sbom.TypeNpm, "app", "1.0.0", 1},
		{sbom.TypeNpm, "left-pad", "1.3.0", 1},
		{sbom.TypePython, "requests", "2.31.0", 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages mismatch (-want +got):\n%s", diff)
	}
	if n := len(s.Source.Layers); n != 2 || s.Source.ManifestDigest == "" || s.Source.Platform != "linux/amd64" {
		t.Errorf("source = %+v, want two layers, a manifest digest, linux/amd64", s.Source)
	}
	if s.Distro == nil || s.Distro.ID != "debian" || s.Distro.VersionID != "12" || s.Distro.Codename != "bookworm" {
		t.Errorf("distro = %+v", s.Distro)
	}
	for _, p := range s.Packages {
		if p.Type == sbom.TypeDeb {
			if m, ok := p.Metadata.(*sbom.DpkgMetadata); !ok || m.Architecture == "" {
				t.Errorf("%s: dpkg metadata %#v", p.Name, p.Metadata)
			}
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		wantIs error
	}{
		{"not json", "artifacts:", nil},
		{"other document", `{"bomFormat":"CycloneDX"}`, ErrNotSyft},
		{"artifacts not a list", `{"artifacts":{}}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.in))
			if err == nil {
				t.Fatal("Decode succeeded")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v is not %v", err, tc.wantIs)
			}
			if !strings.HasPrefix(err.Error(), "decode syft json: ") {
				t.Errorf("error %q does not name the operation", err)
			}
		})
	}
}

// TestDecodeBadMetadata: metadata of an unexpected shape is a warning naming
// the artifact; the package is kept without metadata.
func TestDecodeBadMetadata(t *testing.T) {
	doc := `{"schema":{"version":"16.0.0"},"artifacts":[{"id":"a1","name":"bash","version":"5","type":"deb",
	  "locations":[{"path":"/var/lib/dpkg/status"}],"metadataType":"dpkg-db-entry","metadata":{"installedSize":"big"}}]}`
	s, err := Decode(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Packages) != 1 || s.Packages[0].Metadata != nil {
		t.Fatalf("packages = %+v", s.Packages)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Path != "/var/lib/dpkg/status" || !strings.Contains(s.Warnings[0].Message, "bash (a1)") {
		t.Errorf("warnings = %+v", s.Warnings)
	}
}

func TestMetadata(t *testing.T) {
	epoch := 1
	tests := []struct {
		typ, raw string
		want     sbom.Metadata
	}{
		{"rpm-db-entry", `{"name":"bash","epoch":1,"release":"6.el9","architecture":"x86_64","sourceRpm":"bash-5.1.8-6.el9.src.rpm","vendor":"Rocky","size":7738,"files":[{},{}]}`,
			&sbom.RpmMetadata{Epoch: &epoch, Release: "6.el9", Architecture: "x86_64", SourceRPM: "bash-5.1.8-6.el9.src.rpm", Vendor: "Rocky", Size: 7738, Files: 2}},
		{"java-archive", `{"virtualPath":"/app.jar:BOOT-INF/lib/x.jar","pomProperties":{"groupId":"org.x","artifactId":"x"}}`,
			&sbom.JavaMetadata{GroupID: "org.x", VirtualPath: "/app.jar:BOOT-INF/lib/x.jar", FromPom: true}},
		{"apk-db-entry", `{"originPackage":"busybox","architecture":"x86_64","installedSize":1,"pullChecksum":"Q1x","gitCommitOfApkPort":"abc","files":[{}]}`,
			&sbom.ApkMetadata{Origin: "busybox", Architecture: "x86_64", InstalledSize: 1, Checksum: "Q1x", Commit: "abc", Files: 1}},
		{"javascript-npm-package-lock-entry", `{"resolved":"https://r/x.tgz","integrity":"sha512-x"}`,
			&sbom.NpmMetadata{Resolved: "https://r/x.tgz", Integrity: "sha512-x"}},
		{"go-module-buildinfo-entry", `{"goCompiledVersion":"go1.22.1","architecture":"amd64","h1Digest":"h1:x","mainModule":"example.com/app"}`,
			&sbom.GoModuleMetadata{GoVersion: "go1.22.1", MainModule: "example.com/app", Sum: "h1:x", GOARCH: "amd64"}},
		{"binary-signature", `{"matches":[]}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			got, err := metadata(tc.typ, json.RawMessage(tc.raw), "x", "1")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("metadata mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
