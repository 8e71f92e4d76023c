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

func TestVerifyCommand(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	dir := t.TempDir()
	trusted, other := cosigntest.ECDSAKey(t), cosigntest.Ed25519Key(t)
	keyFile, otherFile := filepath.Join(dir, "cosign.pub"), filepath.Join(dir, "other.pub")
	if err := os.WriteFile(keyFile, cosigntest.PublicPEM(t, trusted), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(otherFile, cosigntest.PublicPEM(t, other), 0o644); err != nil {
		t.Fatal(err)
	}
	signed, unsigned := reg+"/base/signed", reg+"/base/unsigned"
	d := push(t, signed+":1", layersImage(t, nil, "signed"))
	cosigntest.Sign(ctx, t, signed, d, trusted)
	push(t, unsigned+":1", layersImage(t, nil, "unsigned"))

	out, errOut, code := run(t, "verify", signed+":1", "--key", keyFile, "-o", "json")
	var rep verifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("verify signed = %q %q exit %d: %v", out, errOut, code, err)
	}
	if !rep.Verified || len(rep.Signers) != 1 || !strings.HasPrefix(rep.Signers[0], "sha256:") || rep.Signatures[0].KeySource != keyFile {
		t.Errorf("verify signed = %+v", rep)
	}
	if out, _, code := run(t, "verify", signed+":1", "--key", otherFile); code != 1 || !strings.Contains(out, "no given key verifies it") {
		t.Errorf("verify with another key = %q exit %d, want 1", out, code)
	}
	if out, _, code := run(t, "verify", signed+":1", "--key", otherFile, "--key", keyFile); code != 0 || !strings.Contains(out, "yes") {
		t.Errorf("verify with two keys = %q exit %d, want 0", out, code)
	}
	if out, _, code := run(t, "verify", unsigned+":1", "--key", keyFile); code != 1 || !strings.Contains(out, "no signatures found") {
		t.Errorf("verify unsigned = %q exit %d, want 1", out, code)
	}
	if _, errOut, code := run(t, "verify", signed+":1"); code != 2 || !strings.Contains(errOut, "--key") {
		t.Errorf("verify without a key = %q exit %d, want 2", errOut, code)
	}
	if _, _, code := run(t, "verify", signed+":1", "--key", filepath.Join(dir, "missing.pub")); code != 2 {
		t.Errorf("verify with a missing key file: exit %d, want 2", code)
	}

	t.Setenv("PLIMSOLL_KEY", otherFile+","+keyFile)
	if out, errOut, code := run(t, "verify", signed+":1"); code != 0 {
		t.Errorf("verify with keys from PLIMSOLL_KEY = %q %q exit %d, want 0", out, errOut, code)
	}
	os.Unsetenv("PLIMSOLL_KEY")

	// base add --key approves only signed bases and records the signer.
	catalog := filepath.Join(dir, "bases.json")
	if _, errOut, code := run(t, "base", "add", unsigned+":1", "--key", keyFile, "--catalog", catalog); code != 1 || !strings.Contains(errOut, "not approved") {
		t.Errorf("base add unsigned = %q exit %d, want 1", errOut, code)
	}
	if _, err := os.Stat(catalog); !os.IsNotExist(err) {
		t.Errorf("a refused base add wrote the catalogue (%v)", err)
	}
	if out, errOut, code := run(t, "base", "add", signed+":1", "--key", keyFile, "--catalog", catalog); code != 0 {
		t.Fatalf("base add signed = %q %q exit %d", out, errOut, code)
	}
	cat, err := bases.Load(catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Bases) != 1 || cat.Bases[0].Signer != rep.Signers[0] {
		t.Errorf("catalogue = %+v, want the signed base with signer %s", cat.Bases, rep.Signers[0])
	}
}
