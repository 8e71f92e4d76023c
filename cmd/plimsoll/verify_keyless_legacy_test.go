package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plimsoll/plimsoll/internal/trust/bases"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

// plimsoll verify on keyless legacy .sig signatures (what cosign v2 writes
// by default): a Fulcio-like certificate and a Rekor bundle in the layer
// annotations, from an offline CA and log.
func TestVerifyKeylessLegacy(t *testing.T) {
	ss, other := cosigntest.NewSigstore(t), cosigntest.NewSigstore(t)
	reg := testRegistry(t)
	ctx := context.Background()
	signed := func(name string, o cosigntest.LegacyOptions) string {
		repo := reg + "/legacy/" + name
		d := push(t, repo+":1", layersImage(t, nil, name))
		cosigntest.Push(ctx, t, repo, d, []cosigntest.Layer{ss.LegacyLayer(t, cosigntest.Payload(t, repo, d), o)})
		return repo + ":1"
	}
	good := signed("good", cosigntest.LegacyOptions{Identity: "ci@example.com", Issuer: "https://ci.example"})
	noBundle := signed("nobundle", cosigntest.LegacyOptions{Identity: "ci@example.com", Issuer: "https://ci.example", NoRekorBundle: true})
	rootFile, otherRoot := ss.TrustedRootFile(t), other.TrustedRootFile(t)
	id := []string{"--certificate-identity", "ci@example.com", "--certificate-oidc-issuer", "https://ci.example"}
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"identity and issuer", append([]string{"verify", good, "--trusted-root", rootFile}, id...), 0, "ci@example.com (https://ci.example)"},
		{"require tlog", append([]string{"verify", good, "--trusted-root", rootFile, "--require-tlog"}, id...), 0, "keyless"},
		{"regexps", []string{"verify", good, "--trusted-root", rootFile, "--certificate-identity-regexp", `^ci@`, "--certificate-oidc-issuer-regexp", `ci\.example`}, 0, "simple-signing"},
		{"another identity", []string{"verify", good, "--trusted-root", rootFile, "--certificate-identity", "dev@example.com", "--certificate-oidc-issuer", "https://ci.example"}, 1, "dev@example.com"},
		{"another issuer", []string{"verify", good, "--trusted-root", rootFile, "--certificate-identity", "ci@example.com", "--certificate-oidc-issuer", "https://other.example"}, 1, "issuer"},
		{"another trusted root", append([]string{"verify", good, "--trusted-root", otherRoot}, id...), 1, "not in the trusted root"},
		{"no rekor bundle", append([]string{"verify", noBundle, "--trusted-root", rootFile}, id...), 1, "no trusted time"},
		{"no rekor bundle, tlog required", append([]string{"verify", noBundle, "--trusted-root", rootFile, "--require-tlog"}, id...), 1, "one is required"},
		{"only a key given", []string{"verify", good, "--key", writeKey(t)}, 1, "give a trusted root"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, tc.args...)
			t.Logf("%s", out)
			if code != tc.wantCode || !strings.Contains(out, tc.wantOut) {
				t.Errorf("verify = %q %q exit %d, want exit %d and %q", out, errOut, code, tc.wantCode, tc.wantOut)
			}
		})
	}

	out, errOut, code := run(t, append([]string{"verify", good, "--trusted-root", rootFile, "-o", "json"}, id...)...)
	var rep verifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("verify -o json = %q %q exit %d: %v", out, errOut, code, err)
	}
	if len(rep.Signatures) != 1 || rep.Signatures[0].Kind != "simple-signing" || rep.Signatures[0].KeySource != "keyless" ||
		len(rep.Signers) != 1 || rep.Signers[0] != "ci@example.com (https://ci.example)" {
		t.Errorf("verify -o json = %+v", rep)
	}

	// base add approves a base signed keyless in the legacy form.
	catalog := filepath.Join(t.TempDir(), "bases.json")
	if out, errOut, code := run(t, append([]string{"base", "add", good, "--trusted-root", rootFile, "--catalog", catalog}, id...)...); code != 0 {
		t.Fatalf("base add = %q %q exit %d", out, errOut, code)
	}
	cat, err := bases.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Bases) != 1 || cat.Bases[0].Signer != "ci@example.com (https://ci.example)" {
		t.Errorf("catalogue = %+v, want the keyless signer recorded", cat.Bases)
	}
}

// writeKey writes a fresh cosign.pub and returns its path.
func writeKey(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "cosign.pub")
	if err := os.WriteFile(p, cosigntest.PublicPEM(t, cosigntest.ECDSAKey(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
