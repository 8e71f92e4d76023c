package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/plimsoll/plimsoll/internal/trust/bases"
	"github.com/plimsoll/plimsoll/internal/trust/cosign"
	"github.com/plimsoll/plimsoll/internal/trust/cosign/cosigntest"
)

func TestVerifyKeyless(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	reg := testRegistry(t)
	repo := reg + "/base/keyless"
	d := push(t, repo+":1", layersImage(t, nil, "keyless"))
	cosigntest.PushBundle(context.Background(), t, repo, d,
		cosigntest.KeylessBundle(t, vs, "ci@example.com", "https://ci.example", cosigntest.Statement(d, cosign.CosignPredicate)))
	rootFile := cosigntest.TrustedRootFile(t, vs)
	base := []string{"verify", repo + ":1", "--trusted-root", rootFile}
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"identity and issuer", []string{"--certificate-identity", "ci@example.com", "--certificate-oidc-issuer", "https://ci.example"}, 0, "ci@example.com (https://ci.example)"},
		{"regexps", []string{"--certificate-identity-regexp", `^ci@`, "--certificate-oidc-issuer-regexp", `example`}, 0, "keyless"},
		{"another identity", []string{"--certificate-identity", "dev@example.com", "--certificate-oidc-issuer", "https://ci.example"}, 1, "no"},
		{"no issuer", []string{"--certificate-identity", "ci@example.com"}, 2, ""},
		{"no identity", []string{"--require-tlog"}, 2, ""},
		{"require tlog", []string{"--certificate-identity", "ci@example.com", "--certificate-oidc-issuer", "https://ci.example", "--require-tlog"}, 1, "log"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, append(base, tc.args...)...)
			if code != tc.wantCode || !strings.Contains(out, tc.wantOut) {
				t.Errorf("verify = %q %q exit %d, want exit %d and %q", out, errOut, code, tc.wantCode, tc.wantOut)
			}
		})
	}
	if _, errOut, code := run(t, "verify", repo+":1", "--certificate-identity", "ci@example.com", "--certificate-oidc-issuer", "x"); code != 2 || !strings.Contains(errOut, "--trusted-root") {
		t.Errorf("keyless without a trusted root = %q exit %d, want 2", errOut, code)
	}

	// base add approves a keyless-signed base and records "subject (issuer)".
	catalog := filepath.Join(t.TempDir(), "bases.json")
	keyless := []string{"--trusted-root", rootFile, "--certificate-oidc-issuer", "https://ci.example", "--catalog", catalog}
	if _, errOut, code := run(t, append([]string{"base", "add", repo + ":1", "--certificate-identity", "dev@example.com"}, keyless...)...); code != 1 {
		t.Errorf("base add signed by another identity = %q exit %d, want 1", errOut, code)
	}
	if out, errOut, code := run(t, append([]string{"base", "add", repo + ":1", "--certificate-identity", "ci@example.com"}, keyless...)...); code != 0 {
		t.Fatalf("base add keyless = %q %q exit %d", out, errOut, code)
	}
	cat, err := bases.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Bases) != 1 || cat.Bases[0].Signer != "ci@example.com (https://ci.example)" {
		t.Errorf("catalogue = %+v, want the keyless signer recorded", cat.Bases)
	}
}
