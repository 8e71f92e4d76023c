package cosigntest

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
)

// KeylessBundle signs statement keyless with sigstore-go's virtual Sigstore
// (a Fulcio certificate for identity, a timestamp authority's timestamp and a
// Rekor entry with an inclusion proof and promise) and returns the bundle JSON.
func KeylessBundle(t testing.TB, vs *ca.VirtualSigstore, identity, issuer string, statement []byte) []byte {
	t.Helper()
	e, err := vs.AttestAtTime(identity, issuer, statement, time.Now().Add(5*time.Minute), true)
	if err != nil {
		t.Fatal(err)
	}
	vc, err := e.VerificationContent()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := e.SignatureContent()
	if err != nil {
		t.Fatal(err)
	}
	env := sc.(*bundle.Envelope).Envelope
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	var sigs []*protodsse.Signature
	for _, s := range env.Signatures {
		raw, err := base64.StdEncoding.DecodeString(s.Sig)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, &protodsse.Signature{Sig: raw, Keyid: s.KeyID})
	}
	vm := &protobundle.VerificationMaterial{
		Content: &protobundle.VerificationMaterial_Certificate{
			Certificate: &protocommon.X509Certificate{RawBytes: vc.(*bundle.Certificate).Certificate().Raw}},
		TimestampVerificationData: &protobundle.TimestampVerificationData{},
	}
	entries, err := e.TlogEntries()
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		tle := proto.Clone(en.TransparencyLogEntry()).(*protorekor.TransparencyLogEntry)
		tle.KindVersion = &protorekor.KindVersion{Kind: "intoto", Version: "0.0.2"}
		// The entry carries its inclusion proof; add the log's promise (SET)
		// too, as Rekor v1 bundles do, so its integrated time is trusted.
		set, err := vs.RekorSignPayload(tlog.RekorPayload{Body: base64.StdEncoding.EncodeToString(tle.CanonicalizedBody),
			IntegratedTime: tle.IntegratedTime, LogIndex: tle.LogIndex, LogID: hex.EncodeToString(tle.LogId.GetKeyId())})
		if err != nil {
			t.Fatal(err)
		}
		tle.InclusionPromise = &protorekor.InclusionPromise{SignedEntryTimestamp: set}
		vm.TlogEntries = append(vm.TlogEntries, tle)
	}
	tsrs, err := e.Timestamps()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tsrs {
		vm.TimestampVerificationData.Rfc3161Timestamps = append(vm.TimestampVerificationData.Rfc3161Timestamps, &protocommon.RFC3161SignedTimestamp{SignedTimestamp: r})
	}
	b, err := protojson.Marshal(&protobundle.Bundle{
		MediaType:            cosign.BundleMediaTypes[0],
		VerificationMaterial: vm,
		Content:              &protobundle.Bundle_DsseEnvelope{DsseEnvelope: &protodsse.Envelope{Payload: payload, PayloadType: env.PayloadType, Signatures: sigs}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TrustedRootFile writes the virtual Sigstore's trusted_root.json (its
// Fulcio CA, CT log, timestamp authority and Rekor log) and returns its path.
func TrustedRootFile(t testing.TB, vs *ca.VirtualSigstore) string {
	t.Helper()
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, vs.FulcioCertificateAuthorities(), vs.CTLogs(), vs.TimestampingAuthorities(), vs.RekorLogs())
	return writeTrustedRoot(t, tr, err)
}

// writeTrustedRoot writes tr (made with err) as trusted_root.json in a
// temporary directory and returns its path.
func writeTrustedRoot(t testing.TB, tr *root.TrustedRoot, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "trusted_root.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
