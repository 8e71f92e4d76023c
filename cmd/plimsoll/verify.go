package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/trust"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/notation"
)

type verifyFlags struct {
	image   imageFlags
	signers signerFlags
	outputs []string
}

func newVerifyCommand() *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify IMAGE (--key cosign.pub | --notation-trust-policy F --notation-trust-store DIR …)",
		Short: "List an image's cosign and Notation signatures, which verify and who signed (exit 1 when none verifies)",
		Long: `Find the cosign signatures stored beside IMAGE in its registry, for its manifest digest and,
for an image picked from a multi-platform index, for the index digest (a valid signature on
either counts): the legacy sha256-<hex>.sig tag's simple-signing payloads, and sigstore
bundles attached as OCI referrers (the referrers API, or the sha256-<hex> referrers tag).
Each is verified with the given public keys (PEM, as cosign generate-key-pair writes:
ECDSA P-256/P-384/P-521, RSA, ed25519). A signature verifies when it is valid and names the
image's digest as a cosign signature (simple signing: docker-manifest-digest and type;
bundle: the in-toto statement's subject and the cosign sign predicate). The signer is the
key's fingerprint (the sha256 of its DER public key).

Keyless signatures (a Fulcio certificate in a sigstore bundle, or in the annotations of a
.sig layer with a Rekor bundle, as cosign v2 signs by default) verify with --trusted-root
and the accepted --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp]:
the certificate must chain to the root's CA and be valid when a trusted timestamp
authority or transparency log saw the signature (--require-tlog: a log entry is required).
A keyless .sig layer's time comes from its Rekor bundle only (the SET must verify with a
log key of the trusted root, the entry must record this payload, signature and
certificate); without one it does not verify ("no trusted time"). The signer is then
"subject (issuer)".

Notation signatures (JWS or COSE envelopes in signature manifests attached as referrers,
with the artifactType or the older config media type) verify with
--notation-trust-policy (Notation's trustpolicy.json) and --notation-trust-store (a
directory in Notation's layout: x509/ca/<name>/*.pem, x509/signingAuthority/<name>/…),
as notation verify would: the statement whose registryScopes include the image's
registry/repository (or "*") applies, and the signing certificate must chain to its trust
stores and match its trusted identities. The signer is the certificate's subject.
Revocation is checked offline: a certificate naming OCSP or CRL endpoints fails where the
statement enforces revocation (strict level), and is logged where it does not.

Offline: for an image read from an OCI layout (oci-dir:PATH:TAG, oci-archive:FILE:TAG)
the signatures are looked up in the layout itself, nothing is fetched: the .sig manifest
tagged sha256-<hex>.sig (org.opencontainers.image.ref.name) or written by cosign save
(kind dev.cosignproject.cosign/sigs), and referrers — manifests in index.json or nested
indexes whose subject is the image, or listed under the sha256-<hex> tag. A Notation
signature in a layout is local/oci-layout@DIGEST to the trust policy: a statement whose
registryScopes hold "local/oci-layout" or "*" applies. dir: and docker-archive: images
have no place for signatures (exit 2).

Exit 0 when some signature verifies, 1 when none does, 2 on errors.
Not supported yet: RFC 3161 timestamps on .sig layers, Notation verification plugins.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runVerify(cmd, args[0], &f) },
	}
	f.image.register(cmd)
	f.signers.register(cmd, "public key file to verify with (repeatable; env PLIMSOLL_KEY, comma-separated)")
	cmd.Flags().StringArrayVarP(&f.outputs, "output", "o", nil, "report FORMAT[=FILE], repeatable: table, json")
	return cmd
}

// verifyReport is the JSON report of verify.
type verifyReport struct {
	Image       string            `json:"image"`
	Repository  string            `json:"repository"`
	Digest      string            `json:"digest"`
	IndexDigest string            `json:"indexDigest,omitempty"`
	Verified    bool              `json:"verified"`
	Signers     []string          `json:"signers"`
	Signatures  []trust.Signature `json:"signatures"`
}

func runVerify(cmd *cobra.Command, ref string, f *verifyFlags) error {
	outs, err := parseOutputs(f.outputs, []string{"table", "json"}, "table")
	if err != nil {
		return err
	}
	v, err := f.trust()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	o := f.image.options(cmd)
	im, err := image.Open(ctx, ref, o)
	if err != nil {
		return err
	}
	defer im.Close()
	rep, err := verifyImage(ctx, im, v, o)
	if err != nil {
		return err
	}
	rep.Image = ref
	err = writeOutputs(cmd.OutOrStdout(), outs, func(w io.Writer, format string) error {
		if format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}
		return writeVerifyTable(w, rep)
	})
	if err != nil {
		return err
	}
	if !rep.Verified {
		return errFailed(fmt.Sprintf("%s: no signature verifies with the given keys, identities or Notation trust policy (%d found)", ref, len(rep.Signatures)))
	}
	return nil
}

// trust loads the keys, the keyless verifier and the Notation verifier; one
// of them is required.
func (f *verifyFlags) trust() (verifiers, error) {
	v, ok, err := f.signers.load()
	if err != nil {
		return verifiers{}, err
	}
	if !ok {
		return verifiers{}, errors.New("nothing to verify with: give --key FILE (repeatable), --trusted-root with --certificate-identity and --certificate-oidc-issuer for keyless signatures, or --notation-trust-policy and --notation-trust-store for Notation signatures")
	}
	return v, nil
}

// verifyImage looks up and checks the cosign and Notation signatures of an
// opened image, on its manifest and on the index it was picked from.
func verifyImage(ctx context.Context, im *image.Image, v verifiers, o image.Options) (*verifyReport, error) {
	store, scope, err := signatureStore(ctx, im, o)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	targets := []string{im.ManifestDigest, im.IndexDigest}
	sigs, err := cosign.VerifyIn(ctx, store, targets, v.cosign)
	if err != nil {
		return nil, err
	}
	nsigs, err := v.notation.VerifyIn(ctx, store, targets, scope)
	if err != nil {
		return nil, err
	}
	sigs = append(sigs, nsigs...)
	signers := trust.Signers(sigs)
	if signers == nil {
		signers = []string{}
	}
	if sigs == nil {
		sigs = []trust.Signature{}
	}
	return &verifyReport{
		Image: im.Reference, Repository: store.Name(), Digest: im.ManifestDigest, IndexDigest: im.IndexDigest,
		Verified: len(signers) > 0, Signers: signers, Signatures: sigs,
	}, nil
}

// closingStore is a signature store and what closes it.
type closingStore interface {
	trust.Store
	Close() error
}

type registryStore struct{ trust.Registry }

func (registryStore) Close() error { return nil }

// signatureStore is where an image's signatures are looked up, and the
// Notation artifact scope: the registry repository it was read from, or the
// OCI layout (directory or archive) that holds it with its signatures, read
// offline.
func signatureStore(ctx context.Context, im *image.Image, o image.Options) (closingStore, string, error) {
	switch im.Source {
	case "oci-dir", "oci-archive":
		l, err := trust.OpenLayout(im.Reference)
		if err != nil {
			return nil, "", err
		}
		return l, notation.LayoutScope, nil
	case "dir", "docker-archive":
		return nil, "", fmt.Errorf("%s: an image read from %s: has no place for signatures: verify it in its registry, or copy it with its signatures into an OCI layout (oras cp -r, skopeo copy) and verify oci-dir:PATH:TAG", im.Reference, im.Source)
	}
	repo, err := cosign.Repository(im, o.Insecure)
	if err != nil {
		return nil, "", err
	}
	return registryStore{trust.Registry{Repo: repo, Opts: image.RemoteOptions(ctx, o)}}, notation.ArtifactReference(repo, ""), nil
}

func writeVerifyTable(w io.Writer, rep *verifyReport) error {
	if len(rep.Signatures) == 0 {
		fmt.Fprintf(w, "no signatures found for %s in %s\n", rep.Digest, rep.Repository)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SIGNED\tKIND\tVERIFIED\tSIGNER\tKEY\tDETAIL")
	for _, s := range rep.Signatures {
		what := "manifest " + short(s.Target)
		if s.Target == rep.IndexDigest {
			what = "index " + short(s.Target)
		}
		signer, verified := "-", "no"
		if s.Verified {
			signer, verified = s.Signer, "yes"
		}
		detail := s.Reason
		if detail == "" && s.DockerReference != "" {
			detail = "identity " + s.DockerReference
		}
		kind := s.Kind
		if s.Envelope != "" {
			kind += " (" + envelopeName(s.Envelope) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", what, kind, verified, signer, orDash(s.KeySource), strings.TrimSpace(detail))
	}
	return tw.Flush()
}

// envelopeName is a Notation envelope media type's short name.
func envelopeName(mt string) string {
	switch mt {
	case notation.MediaTypeJWS:
		return "jws"
	case notation.MediaTypeCOSE:
		return "cose"
	}
	return mt
}
