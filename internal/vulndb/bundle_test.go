package vulndb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBundleRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "k.pem"), filepath.Join(dir, "k.pub")
	if err := GenerateKey(priv, pub); err != nil {
		t.Fatal(err)
	}
	if err := GenerateKey(priv, pub); err == nil {
		t.Error("GenerateKey overwrote an existing key")
	}
	key, err := LoadPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubKey, err := LoadPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

	src := openTemp(t)
	if _, err := src.ImportPath(ctx, "testdata/osv", nil, now); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "db.bundle")
	m, err := src.Export(ctx, bundle, key, now)
	if err != nil {
		t.Fatal(err)
	}
	if m.Counts.Advisories != 6 || m.Created != now {
		t.Errorf("manifest = %+v", m)
	}

	dst := openTemp(t)
	load(t, dst, "test", []File{record("OLD-1", "2024-01-01T00:00:00Z", "npm", "old")})
	if _, err := dst.ImportPath(ctx, bundle, nil, now); !errors.Is(err, ErrKeyRequired) {
		t.Errorf("import without key: err = %v, want ErrKeyRequired", err)
	}
	res, err := dst.ImportPath(ctx, bundle, pubKey, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != "bundle" {
		t.Errorf("kind = %q", res.Kind)
	}
	want, _ := src.Counts(ctx)
	got, _ := dst.Counts(ctx)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts after bundle import (-want +got)\n%s", diff)
	}
	if e, err := dst.Affected(ctx, "npm", "old"); err != nil || len(e) != 0 {
		t.Errorf("bundle import kept old data: %v %v", ids(e), err)
	}
	st, ok, _ := dst.FeedState(ctx, ImportSource, "")
	if !ok || st.Records != 6 {
		t.Errorf("feed state not carried by the bundle: %+v", st)
	}
}

func TestBundleRejected(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	GenerateKey(filepath.Join(dir, "a.pem"), filepath.Join(dir, "a.pub"))
	GenerateKey(filepath.Join(dir, "b.pem"), filepath.Join(dir, "b.pub"))
	key, _ := LoadPrivateKey(filepath.Join(dir, "a.pem"))
	goodPub, _ := LoadPublicKey(filepath.Join(dir, "a.pub"))
	otherPub, _ := LoadPublicKey(filepath.Join(dir, "b.pub"))

	src := openTemp(t)
	loadFixtures(t, src)
	bundle := filepath.Join(dir, "db.bundle")
	if _, err := src.Export(ctx, bundle, key, time.Now()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(bundle)
	tampered := filepath.Join(dir, "tampered.bundle")
	bad := append([]byte(nil), data...)
	gz := bytes.Index(bad, []byte("\x1f\x8b\x08")) // the compressed snapshot
	if gz < 0 {
		t.Fatal("no gzip member in the bundle")
	}
	bad[gz+200] ^= 0x55
	os.WriteFile(tampered, bad, 0o644)

	tests := []struct {
		name string
		path string
		pub  []byte
	}{
		{"wrong key", bundle, otherPub},
		{"tampered snapshot", tampered, goodPub},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := openTemp(t)
			load(t, dst, "test", []File{record("OLD-1", "2024-01-01T00:00:00Z", "npm", "old")})
			_, err := dst.ImportBundle(ctx, tc.path, tc.pub)
			if !errors.Is(err, ErrBadBundle) {
				t.Fatalf("err = %v, want ErrBadBundle", err)
			}
			if e, _ := dst.Affected(ctx, "npm", "old"); len(e) != 1 {
				t.Errorf("rejected bundle changed the database")
			}
		})
	}
}
