package notation_test

import (
	"context"
	"testing"

	godigest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/notation"
	"github.com/plimsoll/plimsoll/internal/trust/notation/notationtest"
)

// FuzzSignatureManifest: any referrer manifest bytes either give a Notation
// envelope layer of a known media type or an error, never a panic.
func FuzzSignatureManifest(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[{"mediaType":"application/jose+json","digest":"sha256:2154b70f014965233d3e889072fcb296f8315ce3a9f0e74fdaffe73ee08f6e2b","size":1234}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"` + subject + `","size":500}}`))
	f.Add([]byte(`{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[{"mediaType":"application/cose","digest":"sha256:2154b70f014965233d3e889072fcb296f8315ce3a9f0e74fdaffe73ee08f6e2b","size":1}],"subject":{"digest":"` + subject + `"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := trust.ParseArtifact(b)
		if err != nil {
			return
		}
		l, err := notation.EnvelopeLayer(a, subject)
		if err != nil {
			return
		}
		if mt := string(l.MediaType); mt != notation.MediaTypeJWS && mt != notation.MediaTypeCOSE {
			t.Fatalf("envelope layer of media type %q", mt)
		}
	})
}

// FuzzCheck: hostile envelope bytes, JWS or COSE, go through notation-go's
// parsers and verifier without a panic; whatever verifies names the trusted
// signer and no reason.
func FuzzCheck(f *testing.F) {
	ctx := context.Background()
	acme := notationtest.NewPKI(f, "acme signer")
	dir := f.TempDir()
	notationtest.WriteStore(f, dir, "ca", "acme", acme.Root)
	v, err := notation.Load(notationtest.WritePolicy(f, dir, notationtest.Strict("p", "acme", []string{"*"})), dir, notation.Options{})
	if err != nil {
		f.Fatal(err)
	}
	target := ocispec.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: godigest.Digest(subject), Size: 10}
	f.Add(false, notationtest.Envelope(ctx, f, acme, target, notationtest.JWS))
	f.Add(true, notationtest.Envelope(ctx, f, acme, target, notationtest.COSE))
	f.Add(false, []byte(`{"payload":"e30","protected":"e30","header":{},"signature":""}`))
	f.Fuzz(func(t *testing.T, cose bool, env []byte) {
		mt := notation.MediaTypeJWS
		if cose {
			mt = notation.MediaTypeCOSE
		}
		s := v.Check(ctx, "registry.example.com/base@"+subject, target, env, trust.Signature{Envelope: mt})
		if s.Verified != (s.Reason == "") {
			t.Fatalf("verified %v with reason %q", s.Verified, s.Reason)
		}
		if s.Verified && s.Signer != acme.Leaf.Subject.String() {
			t.Fatalf("verified with signer %q", s.Signer)
		}
	})
}
