package packages

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"slices"

	"github.com/plimsoll/plimsoll/internal/catalog/rpm"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

func rpmRequest() layerfs.Request { return layerfs.Request{Paths: rpm.Databases()} }

// rpmHashes are the FILEDIGESTALGO algorithms verify can check.
var rpmHashes = map[int]struct {
	name string
	new  func() hash.Hash
}{
	rpm.DigestMD5: {"MD5", md5.New}, rpm.DigestSHA1: {"SHA-1", sha1.New}, rpm.DigestSHA256: {"SHA-256", sha256.New},
	rpm.DigestSHA384: {"SHA-384", sha512.New384}, rpm.DigestSHA512: {"SHA-512", sha512.New}, rpm.DigestSHA224: {"SHA-224", sha256.New224},
}

// verifyRPM emits the files of every rpm database in the image (but those a
// migration left behind) as rpm -V reads them. Skipped, as dpkg's md5sums
// leave conffiles out: %config files, which are there to be edited; %ghost
// files, which the package does not ship; files rpm did not install (their
// state is not normal: --excludedocs, tsflags=nodocs, other languages);
// directories.
func verifyRPM(ctx context.Context, fsys gate.Files, emit func(expect)) error {
	dbs := rpm.Databases()
	exists := func(p string) bool { _, ok := resolve(fsys, p); return ok }
	for _, f := range fsys.Squashed() {
		if !slices.Contains(dbs, f.Path) || rpm.Superseded(f.Path, exists) {
			continue
		}
		b, err := fsys.ReadFile(f.Path)
		if err != nil {
			continue
		}
		blobs, _ := rpm.ReadDB(ctx, f.Path, b) // a damaged database: the catalogers warn
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, blob := range blobs {
			p, recs, err := rpm.ParseFileRecords(blob)
			if err != nil {
				continue
			}
			for _, r := range recs {
				if e, ok := rpmExpect(p.Name, r); ok {
					emit(e)
				}
			}
		}
	}
	return nil
}

func rpmExpect(pkg string, r rpm.FileRecord) (expect, bool) {
	if r.Flags&(rpm.FileConfig|rpm.FileGhost) != 0 || (r.State != rpm.FileStateNormal && r.State != -1) {
		return expect{}, false
	}
	e := expect{mgr: "rpm", pkg: pkg, path: r.Path, size: -1}
	switch r.Mode & rpm.ModeTypeMask {
	case rpm.ModeDir:
		return expect{}, false
	case rpm.ModeSymlink:
		e.kind, e.hasKind, e.link = layerfs.Symlink, true, r.LinkTo
		return e, true
	case rpm.ModeRegular:
		e.kind, e.hasKind = layerfs.Regular, true
		e.mode, e.hasMode = layerfs.Mode(r.Mode&0o7777), true
		e.size = r.Size
	case 0:
		// no mode recorded: existence and digest only
	default:
		return expect{}, false // devices, FIFOs, sockets
	}
	if h, ok := rpmHashes[r.Algo]; ok && r.Digest != "" {
		if sum, err := hex.DecodeString(r.Digest); err == nil {
			e.newHash, e.hashName, e.sum = h.new, h.name, sum
		}
	}
	return e, true
}
