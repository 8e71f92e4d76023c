package notation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/notaryproject/notation-go/dir"
	"github.com/notaryproject/notation-go/verifier/trustpolicy"
)

// maxPolicy bounds a trust policy file.
const maxPolicy = 1 << 20

// LoadPolicy reads and validates a trust policy file (Notation's
// trustpolicy.json, version 1.0).
func LoadPolicy(path string) (*trustpolicy.Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("notation trust policy: %w", err)
	}
	doc, err := ParsePolicy(b)
	if err != nil {
		return nil, fmt.Errorf("notation trust policy %s: %w", path, err)
	}
	return doc, nil
}

// ParsePolicy parses and validates a trust policy document. Unknown fields are
// an error, so a misspelt key does not silently weaken the policy.
func ParsePolicy(b []byte) (*trustpolicy.Document, error) {
	if len(b) > maxPolicy {
		return nil, fmt.Errorf("%d bytes is more than %d", len(b), maxPolicy)
	}
	var doc trustpolicy.Document
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a trust policy document: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not a trust policy document: data after the JSON object")
	}
	if err := doc.Validate(); err != nil {
		return nil, err
	}
	return &doc, nil
}

// storeFS is a trust store directory in Notation's layout, x509/<type>/<name>/,
// as notation-go's trust store reads it: notation-go asks for paths under
// "truststore/", relative to Notation's configuration directory.
type storeFS struct {
	fs.FS
	root string
}

var _ dir.SysFS = storeFS{}

// SysPath maps a path under Notation's configuration directory to the store.
func (s storeFS) SysPath(items ...string) (string, error) {
	p := filepath.ToSlash(filepath.Join(items...))
	rest, ok := strings.CutPrefix(p, dir.TrustStoreDir+"/")
	if !ok {
		return "", fmt.Errorf("%s is not in the trust store", p)
	}
	return filepath.Join(s.root, filepath.FromSlash(rest)), nil
}

// openStore checks that root is a trust store directory: it holds x509/, or
// it is a Notation configuration directory that holds truststore/x509/.
func openStore(root string) (storeFS, error) {
	if st, err := os.Stat(filepath.Join(root, "x509")); err == nil && st.IsDir() {
		return storeFS{FS: os.DirFS(root), root: root}, nil
	}
	nested := filepath.Join(root, dir.TrustStoreDir)
	if st, err := os.Stat(filepath.Join(nested, "x509")); err == nil && st.IsDir() {
		return storeFS{FS: os.DirFS(nested), root: nested}, nil
	}
	if _, err := os.Stat(root); err != nil {
		return storeFS{}, fmt.Errorf("notation trust store: %w", err)
	}
	return storeFS{}, fmt.Errorf("notation trust store %s: no x509/ directory (want x509/ca/<name>/*.pem, x509/signingAuthority/<name>/…)", root)
}

// errOffline is what the default HTTP client answers every request with.
var errOffline = errors.New("network access is off: Notation revocation checks run offline (the certificate names an OCSP or CRL endpoint)")

// offline is a transport that never reaches the network.
type offline struct{}

func (offline) RoundTrip(*http.Request) (*http.Response, error) { return nil, errOffline }

// OfflineClient returns an HTTP client that fails every request.
func OfflineClient() *http.Client { return &http.Client{Transport: offline{}} }
