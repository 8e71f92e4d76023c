package vulndb

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// A bundle is the whole database in one file for air-gapped sites: an
// uncompressed tar of three members, in this order:
//
//	manifest.json      Manifest, as JSON
//	manifest.json.sig  the ed25519 signature of manifest.json's bytes
//	vulndb.sqlite.gz   a gzip-compressed snapshot of the database file
//
// The manifest holds the snapshot's SHA-256, so the signature covers it all.
const (
	BundleFormat      = "plimsoll-vulndb-bundle/1"
	bundleManifest    = "manifest.json"
	bundleSignature   = "manifest.json.sig"
	bundleDB          = "vulndb.sqlite.gz"
	maxManifestLength = 1 << 20
)

// ErrBadBundle is wrapped by errors for a bundle that is malformed or whose
// signature or checksum does not verify.
var ErrBadBundle = errors.New("bad bundle")

// Manifest describes a bundle.
type Manifest struct {
	Format        string      `json:"format"`
	SchemaVersion int         `json:"schema_version"`
	Created       time.Time   `json:"created"`
	DBSHA256      string      `json:"db_sha256"` // of the compressed member
	DBSize        int64       `json:"db_size"`   // compressed bytes
	Counts        Counts      `json:"counts"`
	Feeds         []FeedState `json:"feeds"`
}

// Export writes the whole database as a bundle signed with key. It needs room
// for a compressed and an uncompressed snapshot next to the output file.
func (db *DB) Export(ctx context.Context, out string, key ed25519.PrivateKey, now time.Time) (Manifest, error) {
	m := Manifest{Format: BundleFormat, SchemaVersion: schemaVersion, Created: now.UTC()}
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".plimsoll-export-")
	if err != nil {
		return m, fmt.Errorf("export: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "snapshot.sqlite")
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, snap); err != nil {
		return m, fmt.Errorf("export: snapshot: %w", err)
	}
	if m.Counts, err = db.Counts(ctx); err != nil {
		return m, fmt.Errorf("export: %w", err)
	}
	if m.Feeds, err = db.FeedStates(ctx); err != nil {
		return m, fmt.Errorf("export: %w", err)
	}
	gz := filepath.Join(tmp, bundleDB)
	if m.DBSHA256, m.DBSize, err = gzipFile(snap, gz); err != nil {
		return m, fmt.Errorf("export: %w", err)
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, fmt.Errorf("export: %w", err)
	}
	if err := writeBundle(out, manifest, ed25519.Sign(key, manifest), gz, m.DBSize); err != nil {
		return m, fmt.Errorf("export %s: %w", out, err)
	}
	return m, nil
}

func gzipFile(src, dst string) (sum string, size int64, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return "", 0, err
	}
	defer out.Close()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(out, h)}
	zw, _ := gzip.NewWriterLevel(cw, gzip.BestSpeed)
	if _, err := io.Copy(zw, in); err != nil {
		return "", 0, fmt.Errorf("compress snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", 0, fmt.Errorf("compress snapshot: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), cw.n, out.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeBundle(out string, manifest, sig []byte, dbPath string, dbSize int64) error {
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	tw := tar.NewWriter(f)
	for _, m := range []struct {
		name string
		data []byte
	}{{bundleManifest, manifest}, {bundleSignature, sig}} {
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data))}); err != nil {
			f.Close()
			return err
		}
		if _, err := tw.Write(m.data); err != nil {
			f.Close()
			return err
		}
	}
	if err := tw.WriteHeader(&tar.Header{Name: bundleDB, Mode: 0o644, Size: dbSize}); err != nil {
		f.Close()
		return err
	}
	db, err := os.Open(dbPath)
	if err != nil {
		f.Close()
		return err
	}
	_, err = io.Copy(tw, db)
	db.Close()
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// IsBundle reports whether the file at path starts like a bundle (a tar whose
// first member is manifest.json).
func IsBundle(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	h, err := tar.NewReader(f).Next()
	return err == nil && h.Name == bundleManifest
}
