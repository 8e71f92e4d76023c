package cosigntest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
)

// Fulcio's certificate extensions for the OIDC issuer: the original one
// (raw string) and its successor (DER UTF8String).
var (
	oidIssuerV1 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 1}
	oidIssuerV2 = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1, 8}
)

// Sigstore is an offline stand-in for a Sigstore instance as keyless legacy
// signatures need it: a Fulcio-like CA (root and intermediate) issuing
// short-lived code-signing certificates that carry the OIDC issuer, and a
// Rekor-like log key signing entry timestamps (SETs).
type Sigstore struct {
	rootCert, interCert *x509.Certificate
	interKey            *ecdsa.PrivateKey
	// RekorKey signs the SETs; LogID is the SHA-256 of its DER public key.
	RekorKey *ecdsa.PrivateKey
	LogID    []byte
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func issue(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, priv crypto.Signer) *x509.Certificate {
	t.Helper()
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = n
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// NewSigstore makes a CA valid from two days ago to two days ahead and a
// log key.
func NewSigstore(t testing.TB) *Sigstore {
	t.Helper()
	now := time.Now()
	rootKey, interKey := newKey(t), newKey(t)
	ca := func(cn string) *x509.Certificate {
		return &x509.Certificate{
			Subject:   pkix.Name{Organization: []string{"plimsoll test"}, CommonName: cn},
			NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(48 * time.Hour),
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		}
	}
	s := &Sigstore{interKey: interKey, RekorKey: newKey(t)}
	s.rootCert = issue(t, ca("fulcio-test root"), nil, &rootKey.PublicKey, rootKey)
	s.interCert = issue(t, ca("fulcio-test intermediate"), s.rootCert, &interKey.PublicKey, rootKey)
	der, err := x509.MarshalPKIXPublicKey(&s.RekorKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	s.LogID = sum[:]
	return s
}

// TrustedRootFile writes a trusted_root.json holding the CA and the log and
// returns its path.
func (s *Sigstore) TrustedRootFile(t testing.TB) string {
	t.Helper()
	ca := &root.FulcioCertificateAuthority{Root: s.rootCert, Intermediates: []*x509.Certificate{s.interCert},
		ValidityPeriodStart: s.rootCert.NotBefore, URI: "https://fulcio.test"}
	log := &root.TransparencyLog{BaseURL: "https://rekor.test", ID: s.LogID, ValidityPeriodStart: s.rootCert.NotBefore,
		HashFunc: crypto.SHA256, PublicKey: &s.RekorKey.PublicKey, SignatureHashFunc: crypto.SHA256}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, []root.CertificateAuthority{ca},
		map[string]*root.TransparencyLog{}, nil, map[string]*root.TransparencyLog{hex.EncodeToString(s.LogID): log})
	return writeTrustedRoot(t, tr, err)
}

// Cert issues a leaf certificate for identity (an e-mail address, or a URI
// when it has a scheme) vouched for by issuer, valid from notBefore to
// notAfter, for a new key.
func (s *Sigstore) Cert(t testing.TB, identity, issuer string, notBefore, notAfter time.Time) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	k := newKey(t)
	v2, err := asn1.MarshalWithParams(issuer, "utf8")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		ExtraExtensions: []pkix.Extension{
			{Id: oidIssuerV1, Value: []byte(issuer)},
			{Id: oidIssuerV2, Value: v2},
		},
	}
	if u, err := url.Parse(identity); err == nil && u.Scheme != "" && !strings.Contains(identity, "@") {
		tmpl.URIs = []*url.URL{u}
	} else {
		tmpl.EmailAddresses = []string{identity}
	}
	return issue(t, tmpl, s.interCert, &k.PublicKey, s.interKey), k
}

// LegacyOptions shape a keyless legacy signature; the zero value (with an
// identity and issuer) is what cosign sign writes.
type LegacyOptions struct {
	Identity, Issuer string
	// IntegratedTime is when the log saw the signature; now when zero.
	IntegratedTime time.Time
	// NotBefore and NotAfter bound the certificate; around IntegratedTime
	// (a minute before, nine after) when zero.
	NotBefore, NotAfter time.Time
	// NoRekorBundle leaves out the Rekor bundle annotation.
	NoRekorBundle bool
	// SETKey signs the SET instead of the log's key (the log ID stays).
	SETKey *ecdsa.PrivateKey
	// LoggedPayload is the payload the log entry records; the signed one
	// when nil.
	LoggedPayload []byte
}

// LegacyLayer signs payload keyless as cosign sign does without
// --new-bundle-format: a certificate for the identity, the signature over
// the payload, a hashedrekord log entry for them with its SET, all as layer
// annotations.
func (s *Sigstore) LegacyLayer(t testing.TB, payload []byte, o LegacyOptions) Layer {
	t.Helper()
	it := o.IntegratedTime
	if it.IsZero() {
		it = time.Now()
	}
	nb, na := o.NotBefore, o.NotAfter
	if nb.IsZero() {
		nb = it.Add(-time.Minute)
	}
	if na.IsZero() {
		na = it.Add(9 * time.Minute)
	}
	cert, key := s.Cert(t, o.Identity, o.Issuer, nb, na)
	sig := SignBytes(t, key, payload)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.interCert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.rootCert.Raw})...)
	l := Layer{Payload: payload, Signature: sig, Annotations: map[string]string{
		cosign.CertificateAnnotation: string(certPEM),
		cosign.ChainAnnotation:       string(chain),
	}}
	if o.NoRekorBundle {
		return l
	}
	logged := payload
	if o.LoggedPayload != nil {
		logged = o.LoggedPayload
	}
	setKey := s.RekorKey
	if o.SETKey != nil {
		setKey = o.SETKey
	}
	l.Annotations[cosign.RekorBundleAnnotation] = string(s.rekorBundle(t, setKey, logged, sig, certPEM, it.Unix()))
	return l
}

// rekorBundle is the Rekor bundle annotation for a hashedrekord entry of
// payload's SHA-256, sig and certPEM, with a SET signed by setKey.
func (s *Sigstore) rekorBundle(t testing.TB, setKey *ecdsa.PrivateKey, payload []byte, sig string, certPEM []byte, integratedTime int64) []byte {
	t.Helper()
	sum := sha256.Sum256(payload)
	body, err := json.Marshal(map[string]any{
		"apiVersion": "0.0.1", "kind": "hashedrekord",
		"spec": map[string]any{
			"data":      map[string]any{"hash": map[string]string{"algorithm": "sha256", "value": hex.EncodeToString(sum[:])}},
			"signature": map[string]any{"content": sig, "publicKey": map[string]string{"content": base64.StdEncoding.EncodeToString(certPEM)}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// What the SET signs: the canonical JSON (sorted keys, no spaces) of
	// the entry's body, integrated time, log ID and index.
	type setPayload struct {
		Body           string `json:"body"`
		IntegratedTime int64  `json:"integratedTime"`
		LogID          string `json:"logID"`
		LogIndex       int64  `json:"logIndex"`
	}
	p := setPayload{Body: base64.StdEncoding.EncodeToString(body), IntegratedTime: integratedTime, LogID: hex.EncodeToString(s.LogID), LogIndex: 42}
	canon, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(canon)
	set, err := ecdsa.SignASN1(rand.Reader, setKey, h[:])
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"SignedEntryTimestamp": base64.StdEncoding.EncodeToString(set), "Payload": p})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// RekorBundleFor is a Rekor bundle from this log, integrated now, for a
// keyless layer made by any Sigstore: its payload, signature and certificate.
func (s *Sigstore) RekorBundleFor(t testing.TB, l Layer) []byte {
	t.Helper()
	return s.rekorBundle(t, s.RekorKey, l.Payload, l.Signature, []byte(l.Annotations[cosign.CertificateAnnotation]), time.Now().Unix())
}
