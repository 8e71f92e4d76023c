package notation_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	godigest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/notation"
	"github.com/plimsoll/plimsoll/internal/trust/notation/notationtest"
)

const subject = "sha256:73f48cd40ddf862af7acb4865bd01348b2a2cc1cd21ecca985a700a2cb21eb8f"

func TestEnvelopeLayer(t *testing.T) {
	layer := func(mt string) v1.Descriptor {
		h, _ := v1.NewHash("sha256:" + strings.Repeat("a", 64))
		return v1.Descriptor{MediaType: types.MediaType("application/" + mt), Digest: h, Size: 3}
	}
	jws, cose := layer("jose+json"), layer("cose")
	for _, tc := range []struct {
		name string
		a    trust.Artifact
		want string // error substring; "" for success
	}{
		{"JWS", trust.Artifact{Subject: subject, Layers: []v1.Descriptor{jws}}, ""},
		{"COSE", trust.Artifact{Subject: subject, Layers: []v1.Descriptor{cose}}, ""},
		{"no subject", trust.Artifact{Layers: []v1.Descriptor{jws}}, "no subject"},
		{"another subject", trust.Artifact{Subject: "sha256:" + strings.Repeat("b", 64), Layers: []v1.Descriptor{jws}}, "is not the image"},
		{"no layer", trust.Artifact{Subject: subject}, "this one 0"},
		{"two layers", trust.Artifact{Subject: subject, Layers: []v1.Descriptor{jws, cose}}, "this one 2"},
		{"other media type", trust.Artifact{Subject: subject, Layers: []v1.Descriptor{layer("json")}}, "neither JWS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := notation.EnvelopeLayer(&tc.a, subject)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("EnvelopeLayer = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParsePolicy(t *testing.T) {
	good := notationtest.Policy(t, notationtest.Strict("p", "acme", []string{"registry.example.com/base"}))
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"valid", string(good), ""},
		{"not JSON", "{", "not a trust policy document"},
		{"unknown field", `{"version":"1.0","trustPolicies":[],"extra":1}`, "unknown field"},
		{"trailing data", string(good) + "{}", "data after"},
		{"bad version", `{"version":"2.0","trustPolicies":[]}`, "version"},
		{"no statements", `{"version":"1.0","trustPolicies":[]}`, "trust policy"},
		{"bad level", strings.Replace(string(good), `"strict"`, `"lenient"`, 1), "lenient"},
		{"bad scope", strings.Replace(string(good), "registry.example.com/base", "https://x/y", 1), "registry scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := notation.ParsePolicy([]byte(tc.doc))
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("ParsePolicy = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	policy := notationtest.WritePolicy(t, dir, notationtest.Strict("p", "acme", []string{"*"}))
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, policy, store, want string
	}{
		{"missing policy", filepath.Join(dir, "none.json"), dir, "no such file"},
		{"malformed policy names the file", bad, dir, bad},
		{"store without x509", policy, dir, "no x509/ directory"},
		{"missing store", policy, filepath.Join(dir, "none"), "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := notation.Load(tc.policy, tc.store, notation.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v, want %q", err, tc.want)
			}
		})
	}
}

// A Notation configuration directory (truststore/x509/… inside) works as a
// trust store directory too.
func TestLoadNotationConfigDir(t *testing.T) {
	ctx := context.Background()
	acme := notationtest.NewPKI(t, "acme signer")
	cfg := t.TempDir()
	notationtest.WriteStore(t, filepath.Join(cfg, "truststore"), "ca", "acme", acme.Root)
	policy := notationtest.WritePolicy(t, cfg, notationtest.Strict("p", "acme", []string{"*"}))
	v, err := notation.Load(policy, cfg, notation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := ocispec.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: godigest.Digest(subject), Size: 10}
	s := v.Check(ctx, "registry.example.com/base@"+subject, target, notationtest.Envelope(ctx, t, acme, target, notationtest.JWS), trust.Signature{Envelope: notationtest.JWS})
	if !s.Verified {
		t.Errorf("Check = %+v, want verified", s)
	}
}

// Revocation is checked offline: a certificate naming a CRL endpoint fails
// where the policy enforces revocation (strict), and passes where it only logs
// it (permissive), without any request leaving the process.
func TestRevocationOffline(t *testing.T) {
	ctx := context.Background()
	acme := notationtest.NewPKI(t, "acme signer", "http://crl.example.invalid/acme.crl")
	target := ocispec.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: godigest.Digest(subject), Size: 10}
	env := notationtest.Envelope(ctx, t, acme, target, notationtest.COSE)
	for _, tc := range []struct {
		level string
		want  bool
	}{{"strict", false}, {"permissive", true}} {
		t.Run(tc.level, func(t *testing.T) {
			dir := t.TempDir()
			notationtest.WriteStore(t, dir, "ca", "acme", acme.Root)
			st := notationtest.Strict("p", "acme", []string{"*"})
			st.Verification.Level = tc.level
			v, err := notation.Load(notationtest.WritePolicy(t, dir, st), dir, notation.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := v.Check(ctx, "registry.example.com/base@"+subject, target, env, trust.Signature{Envelope: notationtest.COSE})
			if s.Verified != tc.want {
				t.Errorf("Check = %+v, want verified %v", s, tc.want)
			}
			if !tc.want && !strings.Contains(s.Reason, "revocation") {
				t.Errorf("reason %q does not name revocation", s.Reason)
			}
		})
	}
}

// countingTransport counts requests and answers none.
type countingTransport struct{ n *int }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	*c.n++
	return nil, errors.New("no network in tests")
}

// Revocation requests go through the injected client, and only there.
func TestRevocationClient(t *testing.T) {
	ctx := context.Background()
	acme := notationtest.NewPKI(t, "acme signer", "http://crl.example.invalid/acme.crl")
	target := ocispec.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: godigest.Digest(subject), Size: 10}
	dir := t.TempDir()
	notationtest.WriteStore(t, dir, "ca", "acme", acme.Root)
	n := 0
	v, err := notation.Load(notationtest.WritePolicy(t, dir, notationtest.Strict("p", "acme", []string{"*"})), dir,
		notation.Options{HTTPClient: &http.Client{Transport: countingTransport{&n}}})
	if err != nil {
		t.Fatal(err)
	}
	s := v.Check(ctx, "registry.example.com/base@"+subject, target, notationtest.Envelope(ctx, t, acme, target, notationtest.JWS), trust.Signature{Envelope: notationtest.JWS})
	if s.Verified || n == 0 {
		t.Errorf("Check = %+v after %d requests; want unverified after a CRL request", s, n)
	}
}

func TestArtifactReference(t *testing.T) {
	for _, tc := range []struct{ repo, want string }{
		{"registry.example.com/base/debian", "registry.example.com/base/debian@" + subject},
		{"127.0.0.1:5000/trusted/app", "127.0.0.1:5000/trusted/app@" + subject},
		{"debian", "docker.io/library/debian@" + subject},
		{"index.docker.io/acme/base", "docker.io/acme/base@" + subject},
	} {
		r, err := name.NewRepository(tc.repo)
		if err != nil {
			t.Fatal(err)
		}
		if got := notation.ArtifactReference(r, subject); got != tc.want {
			t.Errorf("ArtifactReference(%s) = %s, want %s", tc.repo, got, tc.want)
		}
	}
}
