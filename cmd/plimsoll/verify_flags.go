package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/notation"
)

// signerFlags name the accepted signers: cosign public keys and keyless
// identities, and a Notation trust policy with its trust store.
type signerFlags struct {
	keys     []string
	keyless  keylessFlags
	notation notationFlags
}

func (s *signerFlags) register(cmd *cobra.Command, keyUsage string) {
	cmd.Flags().StringSliceVar(&s.keys, "key", nil, keyUsage)
	s.keyless.register(cmd)
	s.notation.register(cmd)
}

// verifiers are what an image's signatures are checked with.
type verifiers struct {
	cosign cosign.Trust
	// notation is nil when no Notation trust policy was given; Notation
	// signatures are then listed, not verified.
	notation *notation.Verifier
}

// load returns the accepted signers; configured is false when no key, no
// keyless identity and no Notation trust policy was given.
func (s *signerFlags) load() (v verifiers, configured bool, err error) {
	kl, err := s.keyless.keyless()
	if err != nil {
		return verifiers{}, false, err
	}
	v.cosign.Keyless = kl
	for _, p := range s.keys {
		k, err := cosign.LoadPublicKey(p)
		if err != nil {
			return verifiers{}, false, err
		}
		v.cosign.Keys = append(v.cosign.Keys, k)
	}
	if v.notation, err = s.notation.verifier(); err != nil {
		return verifiers{}, false, err
	}
	return v, kl != nil || len(v.cosign.Keys) > 0 || v.notation != nil, nil
}

// notationFlags select Notation verification: a trust policy and a trust store
// in Notation's own formats.
type notationFlags struct {
	policy, store string
}

func (n *notationFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&n.policy, "notation-trust-policy", "", "Notation trustpolicy.json that Notation signatures are verified against (env PLIMSOLL_NOTATION_TRUST_POLICY)")
	fl.StringVar(&n.store, "notation-trust-store", "", "Notation trust store directory: x509/{ca,signingAuthority,tsa}/<name>/*.pem (env PLIMSOLL_NOTATION_TRUST_STORE)")
}

// verifier returns the Notation verifier the flags describe; nil when neither
// flag is given. Revocation checks run offline.
func (n *notationFlags) verifier() (*notation.Verifier, error) {
	switch {
	case n.policy == "" && n.store == "":
		return nil, nil
	case n.policy == "":
		return nil, errors.New("--notation-trust-store needs --notation-trust-policy")
	case n.store == "":
		return nil, errors.New("--notation-trust-policy needs --notation-trust-store")
	}
	return notation.Load(n.policy, n.store, notation.Options{})
}

// keylessFlags select keyless (certificate) signers: a trusted root and the
// accepted identity and issuer, each exact or a regular expression.
type keylessFlags struct {
	trustedRoot              string
	identity, identityRegexp string
	issuer, issuerRegexp     string
	requireTlog              bool
}

func (k *keylessFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&k.trustedRoot, "trusted-root", "", "trusted_root.json (Fulcio CAs, Rekor, CT and timestamp authority keys) for keyless signatures")
	fl.StringVar(&k.identity, "certificate-identity", "", "accepted keyless signer: the certificate's subject (e-mail or URI), exact")
	fl.StringVar(&k.identityRegexp, "certificate-identity-regexp", "", "accepted keyless signer subject, as a regular expression")
	fl.StringVar(&k.issuer, "certificate-oidc-issuer", "", "accepted OIDC issuer of the keyless signer's certificate, exact")
	fl.StringVar(&k.issuerRegexp, "certificate-oidc-issuer-regexp", "", "accepted OIDC issuer, as a regular expression")
	fl.BoolVar(&k.requireTlog, "require-tlog", false, "require a transparency-log entry for keyless signatures (else a trusted timestamp is enough; a keyless .sig layer always needs its Rekor bundle)")
}

// keyless returns the keyless verifier the flags describe; nil when none of
// them is given.
func (k *keylessFlags) keyless() (*cosign.Keyless, error) {
	given := k.identity != "" || k.identityRegexp != "" || k.issuer != "" || k.issuerRegexp != "" || k.requireTlog
	if k.trustedRoot == "" && !given {
		return nil, nil
	}
	switch {
	case k.trustedRoot == "":
		return nil, errors.New("keyless verification needs --trusted-root")
	case k.identity == "" && k.identityRegexp == "":
		return nil, errors.New("keyless verification needs --certificate-identity or --certificate-identity-regexp")
	case k.issuer == "" && k.issuerRegexp == "":
		return nil, errors.New("keyless verification needs --certificate-oidc-issuer or --certificate-oidc-issuer-regexp")
	}
	tr, err := cosign.LoadTrustedRoot(k.trustedRoot)
	if err != nil {
		return nil, err
	}
	id := cosign.Identity{Subject: k.identity, SubjectRegexp: k.identityRegexp, Issuer: k.issuer, IssuerRegexp: k.issuerRegexp}
	return &cosign.Keyless{Root: tr, Identities: []cosign.Identity{id}, RequireTlog: k.requireTlog}, nil
}
