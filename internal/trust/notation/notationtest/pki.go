// Package notationtest makes Notation signatures for tests with notation-go
// itself (the notation CLI is not needed): a test CA and signing certificate
// generated in Go, JWS or COSE envelopes signed by notation-go's local signer,
// signature manifests pushed in the artifactType or the older config media
// type form, a trust store and trust policy in Notation's file formats, and an
// in-process registry whose referrers API reports each referrer's real
// artifactType.
package notationtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Subject is the signing certificate's subject made by NewPKI for name
// (Notation's trusted identities need C, ST and O).
func Subject(name string) pkix.Name {
	return pkix.Name{CommonName: name, Organization: []string{"Plimsoll Test"}, Province: []string{"WA"}, Country: []string{"US"}}
}

// PKI is a test CA and a code-signing certificate it issued.
type PKI struct {
	Root    *x509.Certificate
	Leaf    *x509.Certificate
	LeafKey crypto.Signer
}

// Chain is the certificate chain a signature carries, leaf first.
func (p *PKI) Chain() []*x509.Certificate { return []*x509.Certificate{p.Leaf, p.Root} }

// Identity is the trust policy's trusted identity for the leaf.
func (p *PKI) Identity() string { return "x509.subject: " + p.Leaf.Subject.String() }

// NewPKI makes an ECDSA P-256 root CA and a leaf certificate for code signing,
// with subject Subject(name), valid from an hour ago for a day. The leaf names
// crlURLs as its CRL distribution points, when given.
func NewPKI(t testing.TB, name string, crlURLs ...string) *PKI {
	t.Helper()
	now := time.Now()
	rootKey := ecKey(t)
	root := cert(t, &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " CA", Organization: []string{"Plimsoll Test"}, Country: []string{"US"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, nil, rootKey, rootKey)
	leafKey := ecKey(t)
	leaf := cert(t, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: Subject(name),
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
		CRLDistributionPoints: crlURLs,
	}, root, leafKey, rootKey)
	return &PKI{Root: root, Leaf: leaf, LeafKey: leafKey}
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func cert(t testing.TB, tmpl, parent *x509.Certificate, key, parentKey crypto.Signer) *x509.Certificate {
	t.Helper()
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// WriteStore writes certs as PEM into a trust store directory in Notation's
// layout, dir/x509/<storeType>/<name>/<name>.pem, and returns dir.
func WriteStore(t testing.TB, dir, storeType, name string, certs ...*x509.Certificate) string {
	t.Helper()
	d := filepath.Join(dir, "x509", storeType, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	var b []byte
	for _, c := range certs {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	if err := os.WriteFile(filepath.Join(d, name+".pem"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
