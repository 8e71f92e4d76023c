package cosign_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/registrytest"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// The real cosign CLI cannot sign keyless offline, but `cosign attach
// signature` writes a keyless legacy layer from the pieces (payload,
// signature, certificate, chain, Rekor bundle) with its own code, and
// `cosign verify --trusted-root … --offline` judges them with its own. So the
// offline CA and log of cosigntest are checked against cosign's writer and
// verifier, and plimsoll against what cosign wrote.
func TestRealCosignKeylessLegacy(t *testing.T) {
	rc := startRealCosign(t, "trusted/keyless", "signed keyless, attached by cosign")
	bin, addr, dir, env, basic, repo, d := rc.bin, rc.addr, rc.dir, rc.env, rc.basic, rc.repo, rc.digest
	ctx := context.Background()

	ss := cosigntest.NewSigstore(t)
	l := ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), cosigntest.LegacyOptions{Identity: devID, Issuer: devIssuer})
	files := map[string][]byte{
		"payload.json": l.Payload,
		"sig":          []byte(l.Signature),
		"cert.pem":     []byte(l.Annotations[cosign.CertificateAnnotation]),
		"chain.pem":    []byte(l.Annotations[cosign.ChainAnnotation]),
	}
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rootFile := ss.TrustedRootFile(t)
	cosigntest.Run(t, bin, dir, env, "attach", "signature", "--allow-insecure-registry",
		"--payload", "payload.json", "--signature", "sig", "--certificate", "cert.pem",
		"--certificate-chain", "chain.pem", repo+"@"+d)
	// cosign attach signature --rekor-response does not store the Rekor
	// bundle (sigstore/cosign#3458, #3678): add it to the layer cosign wrote.
	addAnnotation(t, repo, d, cosign.RekorBundleAnnotation, l.Annotations[cosign.RekorBundleAnnotation], remote.WithAuth(basic))
	// cosign accepts the offline CA's certificate and the log's SET.
	cosigntest.Run(t, bin, dir, env, "verify", "--allow-insecure-registry", "--offline",
		"--trusted-root", rootFile, "--insecure-ignore-sct",
		"--certificate-identity", devID, "--certificate-oidc-issuer", devIssuer, repo+"@"+d)
	// … and refuses them under another instance's trusted root.
	cmd := exec.Command(bin, "verify", "--allow-insecure-registry", "--offline",
		"--trusted-root", cosigntest.NewSigstore(t).TrustedRootFile(t), "--insecure-ignore-sct",
		"--certificate-identity", devID, "--certificate-oidc-issuer", devIssuer, repo+"@"+d)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("cosign verify under another trusted root succeeded:\n%s", out)
	}

	tr, err := cosign.LoadTrustedRoot(rootFile)
	if err != nil {
		t.Fatal(err)
	}
	opts := image.Options{Username: registrytest.User, Password: registrytest.Password, Insecure: []string{addr}}
	im, err := image.Open(ctx, repo+":1", opts)
	if err != nil {
		t.Fatal(err)
	}
	r, err := cosign.Repository(im, opts.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(ids ...cosign.Identity) []cosign.Signature {
		t.Helper()
		sigs, err := cosign.VerifyWith(ctx, r, []string{im.ManifestDigest}, cosign.Trust{Keyless: &cosign.Keyless{Root: tr, Identities: ids}}, image.RemoteOptions(ctx, opts))
		if err != nil {
			t.Fatal(err)
		}
		return sigs
	}
	if sigs := verify(cosign.Identity{Subject: devID, Issuer: devIssuer}); len(sigs) != 1 || !sigs[0].Verified || sigs[0].Signer != devID+" ("+devIssuer+")" {
		t.Errorf("the layer cosign attached = %+v, want verified by %s", sigs, devID)
	}
	if sigs := verify(cosign.Identity{Subject: "eve@example.com", Issuer: devIssuer}); len(sigs) != 1 || sigs[0].Verified {
		t.Errorf("the layer cosign attached, another identity = %+v, want not verified", sigs)
	}
}

// addAnnotation adds key=value to the one signature layer under
// repo@digest's .sig tag, keeping the layer and its other annotations.
func addAnnotation(t *testing.T, repo, digest, key, value string, opts ...remote.Option) {
	t.Helper()
	tag, err := name.NewTag(repo+":"+cosign.SignatureTag(digest), name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	sigImg, err := remote.Image(tag, opts...)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sigImg.Manifest()
	if err != nil || len(m.Layers) != 1 {
		t.Fatalf("signature manifest %s: %v, %d layers", tag, err, len(m.Layers))
	}
	l, err := sigImg.LayerByDigest(m.Layers[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	ann := map[string]string{key: value}
	for k, v := range m.Layers[0].Annotations {
		ann[k] = v
	}
	out, err := mutate.Append(mutate.ConfigMediaType(mutate.MediaType(empty.Image, m.MediaType), m.Config.MediaType),
		mutate.Addendum{Layer: l, Annotations: ann})
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, out, opts...); err != nil {
		t.Fatal(err)
	}
}
