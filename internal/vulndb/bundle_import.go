package vulndb

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// bundleTables are copied, in this order, when a bundle replaces the database.
var bundleTables = []string{"advisory", "affected", "alias", "cvss", "kev", "epss", "feed_state", "fix_seen", "brief"}

// ImportBundle verifies the bundle at path with pub and replaces the whole
// database with its contents in one transaction. Nothing is changed unless the
// signature, the checksum and the snapshot all verify; errors for a bundle at
// fault wrap ErrBadBundle.
func (db *DB) ImportBundle(ctx context.Context, path string, pub ed25519.PublicKey) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, fmt.Errorf("import bundle: %w", err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	manifest, err := readMember(tr, bundleManifest, maxManifestLength)
	if err != nil {
		return m, err
	}
	sig, err := readMember(tr, bundleSignature, ed25519.SignatureSize)
	if err != nil {
		return m, err
	}
	if !ed25519.Verify(pub, manifest, sig) {
		return m, fmt.Errorf("import bundle %s: %w: the signature does not verify with this key", path, ErrBadBundle)
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return m, fmt.Errorf("import bundle %s: %w: manifest: %w", path, ErrBadBundle, err)
	}
	if m.Format != BundleFormat {
		return m, fmt.Errorf("import bundle %s: %w: format %q, want %q", path, ErrBadBundle, m.Format, BundleFormat)
	}
	if m.SchemaVersion > schemaVersion {
		return m, fmt.Errorf("import bundle %s: schema version %d is newer than this plimsoll knows (%d)", path, m.SchemaVersion, schemaVersion)
	}
	h, err := tr.Next()
	if err != nil || h.Name != bundleDB {
		return m, fmt.Errorf("import bundle %s: %w: no %s member", path, ErrBadBundle, bundleDB)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(db.path), ".plimsoll-import-")
	if err != nil {
		return m, fmt.Errorf("import bundle: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "snapshot.sqlite")
	if err := unpackSnapshot(tr, snap, m); err != nil {
		return m, fmt.Errorf("import bundle %s: %w", path, err)
	}
	if err := checkSnapshot(ctx, snap); err != nil {
		return m, fmt.Errorf("import bundle %s: %w: %w", path, ErrBadBundle, err)
	}
	if err := db.replaceFrom(ctx, snap); err != nil {
		return m, fmt.Errorf("import bundle %s: %w", path, err)
	}
	return m, nil
}

func readMember(tr *tar.Reader, name string, limit int64) ([]byte, error) {
	h, err := tr.Next()
	if err != nil {
		return nil, fmt.Errorf("import bundle: %w: reading %s: %w", ErrBadBundle, name, err)
	}
	if h.Name != name || h.Size > limit {
		return nil, fmt.Errorf("import bundle: %w: member %q (%d bytes), want %s", ErrBadBundle, h.Name, h.Size, name)
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		return nil, fmt.Errorf("import bundle: %w: reading %s: %w", ErrBadBundle, name, err)
	}
	return b, nil
}

// unpackSnapshot decompresses the database member to dst, checking its size
// and SHA-256 against the manifest.
func unpackSnapshot(r io.Reader, dst string, m Manifest) error {
	h := sha256.New()
	cr := &countWriter{w: h}
	zr, err := gzip.NewReader(io.TeeReader(r, cr))
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadBundle, bundleDB, err)
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, zr); err != nil {
		out.Close()
		return fmt.Errorf("%w: %s: %w", ErrBadBundle, bundleDB, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	io.Copy(cr, r) // the rest of the member, for the checksum
	if sum := hex.EncodeToString(h.Sum(nil)); sum != m.DBSHA256 || cr.n != m.DBSize {
		return fmt.Errorf("%w: %s has sha256 %s (%d bytes), the manifest says %s (%d bytes)", ErrBadBundle, bundleDB, sum, cr.n, m.DBSHA256, m.DBSize)
	}
	return nil
}

// checkSnapshot opens the snapshot (migrating an older schema) and checks it.
func checkSnapshot(ctx context.Context, path string) error {
	snap, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer snap.Close()
	var check string
	if err := snap.sql.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return fmt.Errorf("check snapshot: %w", err)
	}
	if check != "ok" {
		return fmt.Errorf("check snapshot: %s", check)
	}
	_, err = snap.sql.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// replaceFrom replaces every table's rows with those of the database file at
// path, in one transaction.
func (db *DB) replaceFrom(ctx context.Context, path string) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS bundle`, path); err != nil {
		return fmt.Errorf("attach snapshot: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE bundle`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range bundleTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM main.`+t); err != nil {
			return fmt.Errorf("replace %s: %w", t, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO main.`+t+` SELECT * FROM bundle.`+t); err != nil {
			return fmt.Errorf("replace %s: %w", t, err)
		}
	}
	return tx.Commit()
}
