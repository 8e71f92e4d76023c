package notationtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Statement is one trust policy statement, as trustpolicy.json spells it.
type Statement struct {
	Name              string   `json:"name"`
	RegistryScopes    []string `json:"registryScopes"`
	Verification      Level    `json:"signatureVerification"`
	TrustStores       []string `json:"trustStores"`
	TrustedIdentities []string `json:"trustedIdentities"`
}

// Level is a statement's signatureVerification.
type Level struct {
	Level    string            `json:"level"`
	Override map[string]string `json:"override,omitempty"`
}

// Policy returns a trust policy document (version 1.0) of statements.
func Policy(t testing.TB, statements ...Statement) []byte {
	t.Helper()
	b, err := json.MarshalIndent(map[string]any{"version": "1.0", "trustPolicies": statements}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Strict is a strict statement named name for scopes, trusting store (as
// "ca:<store>") and identities ("*" when none is given).
func Strict(name, store string, scopes []string, identities ...string) Statement {
	if len(identities) == 0 {
		identities = []string{"*"}
	}
	return Statement{Name: name, RegistryScopes: scopes, Verification: Level{Level: "strict"},
		TrustStores: []string{"ca:" + store}, TrustedIdentities: identities}
}

// WritePolicy writes a trust policy document of statements to
// dir/trustpolicy.json and returns its path.
func WritePolicy(t testing.TB, dir string, statements ...Statement) string {
	t.Helper()
	p := filepath.Join(dir, "trustpolicy.json")
	if err := os.WriteFile(p, Policy(t, statements...), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
