package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
)

// signerFlags name the accepted signers: public keys and keyless identities.
type signerFlags struct {
	keys    []string
	keyless keylessFlags
}

func (s *signerFlags) register(cmd *cobra.Command, keyUsage string) {
	cmd.Flags().StringSliceVar(&s.keys, "key", nil, keyUsage)
	s.keyless.register(cmd)
}

// load returns the accepted signers; configured is false when no key and no
// keyless identity was given.
func (s *signerFlags) load() (trust cosign.Trust, configured bool, err error) {
	kl, err := s.keyless.keyless()
	if err != nil {
		return cosign.Trust{}, false, err
	}
	trust.Keyless = kl
	for _, p := range s.keys {
		k, err := cosign.LoadPublicKey(p)
		if err != nil {
			return cosign.Trust{}, false, err
		}
		trust.Keys = append(trust.Keys, k)
	}
	return trust, kl != nil || len(trust.Keys) > 0, nil
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
	fl.BoolVar(&k.requireTlog, "require-tlog", false, "require a transparency-log entry for keyless signatures (else a trusted timestamp is enough)")
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
