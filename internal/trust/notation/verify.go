package notation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/notaryproject/notation-core-go/revocation"
	"github.com/notaryproject/notation-core-go/revocation/crl"
	"github.com/notaryproject/notation-core-go/revocation/purpose"
	notationgo "github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/verifier"
	"github.com/notaryproject/notation-go/verifier/trustpolicy"
	"github.com/notaryproject/notation-go/verifier/truststore"
	godigest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// Kind is the kind of a Notation signature in verification results.
const Kind = "notation"

// Options tune a Verifier.
type Options struct {
	// HTTPClient fetches OCSP answers and CRLs when the trust policy checks
	// revocation; nil means OfflineClient, which never reaches the network.
	HTTPClient *http.Client
}

// Verifier verifies Notation signatures against one trust policy and trust
// store.
type Verifier struct {
	policy *trustpolicy.Document
	v      notationgo.Verifier
}

// Load reads the trust policy file and opens the trust store directory.
func Load(policyFile, storeDir string, o Options) (*Verifier, error) {
	doc, err := LoadPolicy(policyFile)
	if err != nil {
		return nil, err
	}
	return New(doc, storeDir, o)
}

// New returns a verifier for a validated trust policy and a trust store
// directory in Notation's layout (x509/<type>/<name>/*.pem|crt).
func New(doc *trustpolicy.Document, storeDir string, o Options) (*Verifier, error) {
	store, err := openStore(storeDir)
	if err != nil {
		return nil, err
	}
	client := o.HTTPClient
	if client == nil {
		client = OfflineClient()
	}
	fetcher, err := crl.NewHTTPFetcher(client)
	if err != nil {
		return nil, fmt.Errorf("notation revocation: %w", err)
	}
	validators := make([]revocation.Validator, 2)
	for i, p := range []purpose.Purpose{purpose.CodeSigning, purpose.Timestamping} {
		if validators[i], err = revocation.NewWithOptions(revocation.Options{OCSPHTTPClient: client, CRLFetcher: fetcher, CertChainPurpose: p}); err != nil {
			return nil, fmt.Errorf("notation revocation: %w", err)
		}
	}
	v, err := verifier.NewWithOptions(doc, truststore.NewX509TrustStore(store), nil, verifier.VerifierOptions{
		RevocationCodeSigningValidator:  validators[0],
		RevocationTimestampingValidator: validators[1],
	})
	if err != nil {
		return nil, fmt.Errorf("notation verifier: %w", err)
	}
	return &Verifier{policy: doc, v: v}, nil
}

// Verify finds and checks the Notation signatures of every target digest in
// repo (an image's manifest digest and, for an image picked from an index,
// the index digest: a valid signature on either counts). A nil Verifier lists
// them, verifying none.
func (v *Verifier) Verify(ctx context.Context, repo name.Repository, targets []string, opts []remote.Option) ([]trust.Signature, error) {
	return v.VerifyIn(ctx, trust.Registry{Repo: repo, Opts: opts}, targets, ArtifactReference(repo, ""))
}

// VerifyIn is Verify over any store of signatures. scope@digest is the
// artifact reference the trust policy's registryScopes are matched against:
// registry/repository for a registry (ArtifactReference); for an OCI layout,
// LayoutScope.
func (v *Verifier) VerifyIn(ctx context.Context, store trust.Store, targets []string, scope string) ([]trust.Signature, error) {
	scope = strings.TrimSuffix(scope, "@")
	var out []trust.Signature
	for _, t := range targets {
		if t == "" {
			continue
		}
		sigs, err := v.verifyTarget(ctx, store, t, scope+"@"+t)
		if err != nil {
			return nil, fmt.Errorf("notation verify %s@%s: %w", store.Name(), t, err)
		}
		out = append(out, sigs...)
	}
	return out, nil
}

// LayoutScope is the artifact reference scope of an image read from an OCI
// layout: no registry names it, so a trust policy statement applies when its
// registryScopes hold "*" or this local scope (the form notation suggests for
// layouts, "local/<name>"), never through the layout's own ref.name.
const LayoutScope = "local/oci-layout"

func (v *Verifier) verifyTarget(ctx context.Context, store trust.Store, digest, ref string) ([]trust.Signature, error) {
	refs, err := store.Referrers(ctx, digest, IsSignature)
	if err != nil || len(refs) == 0 {
		return nil, err
	}
	if v == nil {
		var out []trust.Signature
		for _, r := range refs {
			s := trust.Signature{Kind: Kind, Target: digest, Tag: "referrer " + r.Digest, Reason: "no Notation trust policy to verify it with"}
			if l, err := EnvelopeLayer(&r.Artifact, digest); err == nil {
				s.Layer, s.Envelope = l.Digest.String(), string(l.MediaType)
			}
			out = append(out, s)
		}
		return out, nil
	}
	d, err := store.Descriptor(ctx, digest)
	if err != nil {
		return nil, fmt.Errorf("target descriptor: %w", err)
	}
	target := ocispec.Descriptor{MediaType: string(d.MediaType), Digest: godigest.Digest(digest), Size: d.Size}
	var out []trust.Signature
	for _, r := range refs {
		s := trust.Signature{Kind: Kind, Target: digest, Tag: "referrer " + r.Digest}
		l, err := EnvelopeLayer(&r.Artifact, digest)
		if err != nil {
			s.Reason = err.Error()
			out = append(out, s)
			continue
		}
		s.Layer, s.Envelope = l.Digest.String(), string(l.MediaType)
		env, err := r.ReadBlob(l, maxEnvelope)
		if err != nil {
			return nil, fmt.Errorf("referrer %s: %w", r.Digest, err)
		}
		out = append(out, v.Check(ctx, ref, target, env, s))
	}
	return out, nil
}

// ArtifactReference names repo@digest as trust policy registry scopes match
// it: registry/repository, with Docker Hub as docker.io.
func ArtifactReference(repo name.Repository, digest string) string {
	reg := repo.RegistryStr()
	if reg == name.DefaultRegistry {
		reg = "docker.io"
	}
	return reg + "/" + repo.RepositoryStr() + "@" + digest
}

// Check verifies one envelope (of s.Envelope's media type) over target,
// referenced as ref, filling in s. It verifies when the applicable trust
// policy statement does not skip verification and the envelope's integrity,
// its signer's authenticity (a certificate chain to the statement's trust
// stores, a trusted identity) and, when present, its timestamp pass — even
// under the audit level, which only logs authenticity failures. Expiry and
// revocation failures count as the statement says (enforce or log).
func (v *Verifier) Check(ctx context.Context, ref string, target ocispec.Descriptor, envelope []byte, s trust.Signature) trust.Signature {
	pol, err := v.policy.GetApplicableTrustPolicy(ref)
	if err != nil {
		s.Reason = fmt.Sprintf("no trust policy statement's registryScopes include %s", strings.SplitN(ref, "@", 2)[0])
		return s
	}
	s.KeySource = "trust policy " + pol.Name
	out, err := v.v.Verify(ctx, target, envelope, notationgo.VerifierVerifyOptions{ArtifactReference: ref, SignatureMediaType: s.Envelope})
	switch {
	case err != nil:
		s.Reason = reason(err, out)
	case out == nil || out.VerificationLevel == nil:
		s.Reason = "notation-go gave no verification outcome"
	case out.VerificationLevel.Name == trustpolicy.LevelSkip.Name:
		s.Reason = fmt.Sprintf("trust policy statement %q skips verification", pol.Name)
	default:
		for _, r := range out.VerificationResults {
			if r != nil && r.Error != nil && essential(r.Type) {
				s.Reason = fmt.Sprintf("%s: %v (logged only by the %s level)", r.Type, r.Error, out.VerificationLevel.Name)
				break
			}
		}
	}
	if s.Reason != "" {
		return s
	}
	signer := leafSubject(out)
	if signer == "" {
		s.Reason = "the envelope names no signing certificate"
		return s
	}
	s.Verified, s.Signer = true, signer
	return s
}

// essential are the checks a signature must pass to count as signed by a
// trusted signer, whatever the verification level says.
func essential(t trustpolicy.ValidationType) bool {
	return t == trustpolicy.TypeIntegrity || t == trustpolicy.TypeAuthenticity || t == trustpolicy.TypeAuthenticTimestamp
}

func leafSubject(out *notationgo.VerificationOutcome) string {
	if out == nil || out.EnvelopeContent == nil || len(out.EnvelopeContent.SignerInfo.CertificateChain) == 0 {
		return ""
	}
	return out.EnvelopeContent.SignerInfo.CertificateChain[0].Subject.String()
}

// reason says why notation-go refused a signature, naming the signer when the
// envelope was intact enough to say who it claims.
func reason(err error, out *notationgo.VerificationOutcome) string {
	msg := err.Error()
	var inconclusive notationgo.VerificationInconclusiveError
	if errors.As(err, &inconclusive) && inconclusive.Msg != "" {
		msg = inconclusive.Msg
	}
	if who := leafSubject(out); who != "" {
		return fmt.Sprintf("signed by %q: %s", who, msg)
	}
	return msg
}
