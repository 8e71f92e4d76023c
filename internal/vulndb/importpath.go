package vulndb

import (
	"archive/zip"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// ImportSource is the feed-state source of records imported from files.
const ImportSource = "import"

// ImportResult says what ImportPath found and did.
type ImportResult struct {
	Kind     string    // "dir", "zip", "json" or "bundle"
	Stats    LoadStats // for OSV imports
	Manifest *Manifest // for bundles
}

// ErrKeyRequired is returned when a bundle is imported without a key.
var ErrKeyRequired = errors.New("a bundle is imported only with the public key to verify it (--key)")

// ImportPath imports a directory or zip of OSV JSON records (any mix of
// ecosystems), a single record, or a bundle, which is verified with pub.
// Malformed records are skipped and counted; a malformed zip fails the import
// and leaves the database as it was.
func (db *DB) ImportPath(ctx context.Context, path string, pub ed25519.PublicKey, now time.Time) (ImportResult, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if !fi.IsDir() && IsBundle(path) {
		if pub == nil {
			return ImportResult{Kind: "bundle"}, fmt.Errorf("import %s: %w", path, ErrKeyRequired)
		}
		m, err := db.ImportBundle(ctx, path, pub)
		return ImportResult{Kind: "bundle", Manifest: &m}, err
	}
	res := ImportResult{Kind: "dir"}
	files := DirFiles(path)
	if !fi.IsDir() && looksLikeZip(path) {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return res, fmt.Errorf("import %s: %w: %w", path, ErrMalformedArchive, err)
		}
		defer zr.Close()
		res.Kind, files = "zip", ZipFiles(&zr.Reader)
	} else if !fi.IsDir() {
		res.Kind = "json"
		files = func(yield func(File, error) bool) {
			f := File{Name: path}
			f.Data, f.Err = readLimited(path)
			yield(f, nil)
		}
	}
	err = db.Update(ctx, ImportSource, func(tx *Tx) error {
		var err error
		if res.Stats, err = PutAll(ctx, tx, files); err != nil {
			return err
		}
		n, err := tx.CountSource(ctx, ImportSource)
		if err != nil {
			return err
		}
		return tx.SetFeedState(ctx, FeedState{Source: ImportSource, LastSync: now, LastAttempt: now,
			Cursor: path, Records: n, Skipped: int64(res.Stats.Skipped)})
	})
	if err != nil {
		return res, fmt.Errorf("import %s: %w", path, err)
	}
	return res, nil
}

// looksLikeZip reports whether the file is named *.zip or starts with a zip
// signature (a local file header, or the end record of an empty zip).
func looksLikeZip(path string) bool {
	if strings.HasSuffix(strings.ToLower(path), ".zip") {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return false
	}
	return string(magic[:]) == "PK\x03\x04" || string(magic[:]) == "PK\x05\x06"
}
