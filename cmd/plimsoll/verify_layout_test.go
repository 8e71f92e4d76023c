package main

import (
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/imagetest"
	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// plimsoll verify on OCI layouts that hold the image with its signatures
// (a legacy .sig manifest tagged sha256-<hex>.sig, a sigstore bundle
// referrer), offline: no registry is involved.
func TestVerifyLayout(t *testing.T) {
	dir := t.TempDir()
	trusted, other := cosigntest.ECDSAKey(t), cosigntest.Ed25519Key(t)
	keyFile, otherFile := filepath.Join(dir, "cosign.pub"), filepath.Join(dir, "other.pub")
	for p, k := range map[string]crypto.Signer{keyFile: trusted, otherFile: other} {
		if err := os.WriteFile(p, cosigntest.PublicPEM(t, k), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img := layersImage(t, nil, "signed")
	d := regDigest(t, img)
	newLayout := func(name string) string {
		p := filepath.Join(dir, name)
		if err := imagetest.WriteOCILayout(p, imagetest.Tagged{Tag: "1", Image: img}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	legacy, bundled, unsigned, foreign := newLayout("legacy"), newLayout("bundled"), newLayout("unsigned"), newLayout("foreign")
	cosigntest.LayoutSign(t, legacy, "example.com/app", d, trusted, map[string]string{trust.RefNameAnnotation: cosign.SignatureTag(d)})
	cosigntest.LayoutReferrer(t, bundled, d, cosign.BundleMediaTypes[0], cosign.BundleMediaTypes[0],
		cosigntest.BundleJSON(t, trusted, cosigntest.Statement(d, cosign.CosignPredicate)))
	elsewhere := regDigest(t, layersImage(t, nil, "another"))
	cosigntest.LayoutReferrer(t, foreign, elsewhere, cosign.BundleMediaTypes[0], cosign.BundleMediaTypes[0],
		cosigntest.BundleJSON(t, trusted, cosigntest.Statement(elsewhere, cosign.CosignPredicate)))
	archive := filepath.Join(dir, "legacy.tar")
	if err := imagetest.TarDir(archive, legacy); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, ref, key string
		code           int
		want           string
	}{
		{"legacy .sig", "oci-dir:" + legacy + ":1", keyFile, 0, "simple-signing  yes"},
		{"legacy .sig, wrong key", "oci-dir:" + legacy + ":1", otherFile, 1, "no given key verifies it"},
		{"legacy .sig in an OCI archive", "oci-archive:" + archive + ":1", keyFile, 0, "simple-signing  yes"},
		{"bundle referrer", "oci:" + bundled + ":1", keyFile, 0, "sigstore-bundle  yes"},
		{"bundle referrer, wrong key", "oci-dir:" + bundled + ":1", otherFile, 1, "sigstore-bundle  no"},
		{"no signatures", "oci-dir:" + unsigned, keyFile, 1, "no signatures found for " + d + " in oci-dir:" + unsigned},
		{"referrer of another image", "oci-dir:" + foreign + ":1", keyFile, 1, "no signatures found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, "verify", tc.ref, "--key", tc.key)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("verify %s = %q %q exit %d, want exit %d and %q", tc.ref, out, errOut, code, tc.code, tc.want)
			}
		})
	}

	out, _, code := run(t, "verify", "oci-dir:"+legacy+":1", "--key", keyFile, "-o", "json")
	var rep verifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("verify -o json = %q exit %d: %v", out, code, err)
	}
	if rep.Repository != "oci-dir:"+legacy || !rep.Verified || rep.Signatures[0].Tag != cosign.SignatureTag(d) {
		t.Errorf("report = %+v, want the layout as the repository and the .sig tag verified", rep)
	}
}

// Images from a directory or a docker archive have nowhere to keep
// signatures: verify says so and exits 2.
func TestVerifyNoPlaceForSignatures(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "cosign.pub")
	if err := os.WriteFile(keyFile, cosigntest.PublicPEM(t, cosigntest.ECDSAKey(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "image.tar")
	if err := imagetest.WriteDockerArchive(archive, imagetest.Tagged{Tag: "example.com/app:1", Image: layersImage(t, nil, "a")}); err != nil {
		t.Fatal(err)
	}
	rootfs := filepath.Join(dir, "rootfs")
	if err := os.MkdirAll(filepath.Join(rootfs, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"docker-archive:" + archive, "dir:" + rootfs} {
		_, errOut, code := run(t, "verify", ref, "--key", keyFile)
		if code != 2 || !strings.Contains(errOut, "has no place for signatures") || !strings.Contains(errOut, "oci-dir:PATH") {
			t.Errorf("verify %s = %q exit %d, want exit 2 saying where signatures can be", ref, errOut, code)
		}
	}
}
