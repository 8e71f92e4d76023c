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
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
)

type verifyFlags struct {
	image   imageFlags
	signers signerFlags
	outputs []string
}

func newVerifyCommand() *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify IMAGE --key cosign.pub",
		Short: "List an image's cosign signatures, which verify and who signed (exit 1 when none verifies)",
		Long: `Find the cosign signatures stored beside IMAGE in its registry, for its manifest digest and,
for an image picked from a multi-platform index, for the index digest (a valid signature on
either counts): the legacy sha256-<hex>.sig tag's simple-signing payloads, and sigstore
bundles attached as OCI referrers (the referrers API, or the sha256-<hex> referrers tag).
Each is verified with the given public keys (PEM, as cosign generate-key-pair writes:
ECDSA P-256/P-384/P-521, RSA, ed25519). A signature verifies when it is valid and names the
image's digest as a cosign signature (simple signing: docker-manifest-digest and type;
bundle: the in-toto statement's subject and the cosign sign predicate). The signer is the
key's fingerprint (the sha256 of its DER public key).

Keyless signatures (a Fulcio certificate in a sigstore bundle) verify with --trusted-root
and the accepted --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp]:
the certificate must chain to the root's CA and be valid when a trusted timestamp
authority or transparency log saw the signature (--require-tlog: a log entry is required).
The signer is then "subject (issuer)".

Exit 0 when some signature verifies, 1 when none does, 2 on errors.
Not supported yet: keyless legacy .sig signatures, Notation.`,
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
	Image       string             `json:"image"`
	Repository  string             `json:"repository"`
	Digest      string             `json:"digest"`
	IndexDigest string             `json:"indexDigest,omitempty"`
	Verified    bool               `json:"verified"`
	Signers     []string           `json:"signers"`
	Signatures  []cosign.Signature `json:"signatures"`
}

func runVerify(cmd *cobra.Command, ref string, f *verifyFlags) error {
	outs, err := parseOutputs(f.outputs, []string{"table", "json"}, "table")
	if err != nil {
		return err
	}
	trust, err := f.trust()
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
	rep, err := verifyImage(ctx, im, trust, o)
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
		return errFailed(fmt.Sprintf("%s: no signature verifies with the given keys (%d found)", ref, len(rep.Signatures)))
	}
	return nil
}

// trust loads the keys and the keyless verifier; one of them is required.
func (f *verifyFlags) trust() (cosign.Trust, error) {
	t, ok, err := f.signers.load()
	if err != nil {
		return cosign.Trust{}, err
	}
	if !ok {
		return cosign.Trust{}, errors.New("no public key: give --key FILE (repeatable), or --trusted-root with --certificate-identity and --certificate-oidc-issuer for keyless signatures")
	}
	return t, nil
}

// verifyImage looks up and checks the signatures of an opened image.
func verifyImage(ctx context.Context, im *image.Image, trust cosign.Trust, o image.Options) (*verifyReport, error) {
	repo, err := cosign.Repository(im, o.Insecure)
	if err != nil {
		return nil, err
	}
	sigs, err := cosign.VerifyWith(ctx, repo, []string{im.ManifestDigest, im.IndexDigest}, trust, image.RemoteOptions(ctx, o))
	if err != nil {
		return nil, err
	}
	signers := cosign.Signers(sigs)
	if signers == nil {
		signers = []string{}
	}
	if sigs == nil {
		sigs = []cosign.Signature{}
	}
	return &verifyReport{
		Image: im.Reference, Repository: repo.Name(), Digest: im.ManifestDigest, IndexDigest: im.IndexDigest,
		Verified: len(signers) > 0, Signers: signers, Signatures: sigs,
	}, nil
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", what, s.Kind, verified, signer, orDash(s.KeySource), strings.TrimSpace(detail))
	}
	return tw.Flush()
}
