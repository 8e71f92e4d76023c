package packages

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"hash"
	"path"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// verify checks installed files against what the package managers recorded
// of them, as dpkg --verify, rpm -V and apk audit do.
type verify struct{}

var _ gate.ArgsRequester = verify{}

func (verify) Name() string { return "verify" }
func (verify) Description() string {
	return "Fires for each file a package installed that is missing or changed: against dpkg's info/<pkg>.md5sums (MD5), " +
		"the rpm database (digest, size, mode, symlink target) and apk's installed database (Q1 SHA-1 checksum, mode). " +
		"Configuration files (dpkg conffiles, rpm %config, apk protected paths such as /etc), rpm %ghost files and files rpm did not install (--excludedocs) are skipped, " +
		"as are paths dpkg's path-exclude settings keep out. Checking contents holds the files under only_directories, which check changed therefore needs; " +
		"sizes, modes and symlink targets are checked everywhere."
}
func (verify) Params() []gate.Param {
	return []gate.Param{
		{Name: "only_packages", Type: gate.List, Description: "only these packages"},
		{Name: "only_directories", Type: gate.List, Description: "only files under these directories (required to check contents)"},
		{Name: "check", Type: gate.Enum, Enum: []string{"changed", "missing"}, Description: "only this check (default both)"},
	}
}

// RequestsFor asks for the package managers' records and, to check contents,
// the regular files under only_directories.
func (verify) RequestsFor(a gate.Args) []layerfs.Request {
	rq := []layerfs.Request{dpkgRequest(), rpmRequest(), apkRequest()}
	if dirs := cleanDirs(a.List("only_directories")); len(dirs) > 0 && a.String("check") != "missing" {
		rq = append(rq, layerfs.Request{Match: func(p string, h *tar.Header) bool {
			return (h.Typeflag == tar.TypeReg || h.Typeflag == tar.TypeLink) && (under(p, dirs) || under(usrUnmerged(p), dirs))
		}})
	}
	return rq
}

func (verify) Compile(a gate.Args) (gate.Check, error) {
	dirs, pkgs, check := cleanDirs(a.List("only_directories")), a.List("only_packages"), a.String("check")
	for _, d := range dirs {
		if !path.IsAbs(d) {
			return nil, fmt.Errorf("only_directories: %q is not an absolute path", d)
		}
	}
	if check == "changed" && len(dirs) == 0 {
		return nil, fmt.Errorf("check changed needs only_directories (the file contents to hold)")
	}
	return func(ctx context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.FS == nil {
			return nil, nil
		}
		var out []gate.Fire
		var gone func(string) string
		emit := func(e expect) {
			if len(pkgs) > 0 && !slices.Contains(pkgs, e.pkg) {
				return
			}
			// A file recorded as /bin/x and held as /usr/bin/x (merged /usr) is
			// under either directory.
			if len(dirs) > 0 && !under(e.path, dirs) && !under(parentsResolved(in.FS, e.path), dirs) {
				return
			}
			fr, ok := verifyFile(in.FS, e, check, len(dirs) > 0)
			if !ok {
				return
			}
			if fr.Layer == gate.NoLayer {
				if gone == nil {
					gone = deletions(in.FS)
				}
				fr.Detail += gone(fr.Path)
			}
			out = append(out, fr)
		}
		verifyDpkg(in.FS, emit)
		if err := verifyRPM(ctx, in.FS, emit); err != nil {
			return nil, err
		}
		verifyAPK(in.FS, emit)
		return out, nil
	}, nil
}

// expect is what a package manager recorded of one installed file.
type expect struct {
	mgr, pkg, path string
	// newHash and sum check the content (of a symlink: its target, for apk);
	// newHash nil means no content record.
	newHash  func() hash.Hash
	hashName string
	sum      []byte
	// linkDigest: the digest of a symlink is over its target (apk).
	linkDigest bool
	size       int64 // -1: not recorded
	// mode is the permission bits (setuid, setgid and sticky included), when
	// hasMode; regular files only.
	mode    layerfs.Mode
	hasMode bool
	// kind is the file type recorded, when hasKind; link the symlink target.
	kind    layerfs.Type
	hasKind bool
	link    string
	// skipSymlink: a symlink here is configuration (apk's @ protected paths).
	skipSymlink bool
}

// verifyFile checks one file of a package; contents only when they were held.
func verifyFile(fsys gate.Files, e expect, check string, contents bool) (gate.Fire, bool) {
	id := e.pkg + ":" + e.path
	file, ok := resolve(fsys, e.path)
	if !ok {
		if check == "changed" {
			return gate.Fire{}, false
		}
		return gate.Fire{ID: id, Layer: gate.NoLayer, Path: e.path,
			Detail: fmt.Sprintf("%s of %s package %s is missing", e.path, e.mgr, e.pkg)}, true
	}
	if check == "missing" {
		return gate.Fire{}, false
	}
	if why := differences(fsys, file, e, contents); len(why) > 0 {
		return gate.Fire{ID: id, Layer: file.Layer, Path: e.path,
			Detail: fmt.Sprintf("%s of %s package %s has changed: %s", e.path, e.mgr, e.pkg, strings.Join(why, "; "))}, true
	}
	return gate.Fire{}, false
}

// differences lists how a file differs from its record.
func differences(fsys gate.Files, f *layerfs.File, e expect, contents bool) []string {
	typ := f.Type
	if typ == layerfs.Hardlink {
		typ = layerfs.Regular // the walk gives a hardlink its target's size and content
	}
	if e.hasKind && typ != e.kind {
		return []string{fmt.Sprintf("a %s where %s installed a %s", typ, e.mgr, e.kind)}
	}
	var why []string
	switch typ {
	case layerfs.Symlink:
		if e.skipSymlink {
			return nil
		}
		if e.hasKind && e.link != f.Linkname {
			why = append(why, fmt.Sprintf("symlink to %q, %s recorded %q", f.Linkname, e.mgr, e.link))
		}
		if e.linkDigest && e.newHash != nil && !sumOf(e.newHash, []byte(f.Linkname), e.sum) {
			why = append(why, fmt.Sprintf("symlink to %q, whose %s differs from %s's", f.Linkname, e.hashName, e.mgr))
		}
		return why
	case layerfs.Regular:
	default:
		return nil // devices, FIFOs, directories: recorded by no manager here
	}
	if e.hasMode && f.Mode != e.mode {
		why = append(why, fmt.Sprintf("mode %s, %s recorded %s", f.Mode, e.mgr, e.mode))
	}
	if e.size >= 0 && f.Size != e.size {
		why = append(why, fmt.Sprintf("size %d, %s recorded %d", f.Size, e.mgr, e.size))
	}
	if e.newHash == nil {
		return why
	}
	if e.hashName == "SHA-256" && strings.HasPrefix(f.Digest, "sha256:") {
		if f.Digest[len("sha256:"):] != hex.EncodeToString(e.sum) {
			why = append(why, e.hashName+" differs from "+e.mgr+"'s")
		}
		return why
	}
	if !contents {
		return why
	}
	if b, err := fsys.ReadFile(e.path); err == nil && !sumOf(e.newHash, b, e.sum) {
		why = append(why, e.hashName+" differs from "+e.mgr+"'s")
	}
	return why
}

// deletions returns what the layers say of a missing file: which layer last
// held it (a later one deleted it), or that none ever did. Indexes that keep
// no deleted entries say nothing.
func deletions(fsys gate.Files) func(string) string {
	lf, ok := fsys.(gate.LayeredFiles)
	if !ok {
		return func(string) string { return "" }
	}
	last := map[string]int{}
	for _, e := range lf.AllLayers() {
		if _, visible := lf.Lookup(e.Path); !visible {
			last[e.Path] = max(last[e.Path], e.Layer)
		}
	}
	return func(p string) string {
		if l, ok := last[parentsResolved(fsys, p)]; ok {
			return fmt.Sprintf(" (layer %d held it; a later layer deleted it)", l)
		}
		return " (no layer ever held it)"
	}
}

func sumOf(newHash func() hash.Hash, b, want []byte) bool {
	h := newHash()
	h.Write(b)
	return bytes.Equal(h.Sum(nil), want)
}

// resolver is implemented by file indexes that resolve symlinks in a path's
// parents (layerfs.FS does): Debian lists /bin/sh where merged-/usr images
// have /usr/bin/sh behind a /bin symlink.
type resolver interface {
	Resolve(p string) (string, error)
}

// resolve finds the file at p, its parents' symlinks followed, itself not.
func resolve(fsys gate.Files, p string) (*layerfs.File, bool) {
	p = parentsResolved(fsys, p)
	if l, ok := fsys.(interface {
		Lookup(string) (*layerfs.File, bool)
	}); ok {
		return l.Lookup(p)
	}
	for _, f := range fsys.Squashed() {
		if f.Path == p {
			return f, true
		}
	}
	return nil, false
}

// parentsResolved is p with the symlinks in its parents followed, where the
// index can resolve them.
func parentsResolved(fsys gate.Files, p string) string {
	if r, ok := fsys.(resolver); ok {
		if dir, err := r.Resolve(path.Dir(p)); err == nil {
			return path.Join(dir, path.Base(p))
		}
	}
	return p
}

func cleanDirs(dirs []string) []string {
	var out []string
	for _, d := range dirs {
		out = append(out, path.Clean(d))
	}
	return out
}

// usrUnmerged is the path by which packages of a merged-/usr system record a
// file the layers hold under /usr/bin, /usr/sbin or /usr/lib*: /bin/sh for
// /usr/bin/sh. The walk cannot follow the /bin symlink, so a request for the
// contents under /bin also holds them under /usr/bin.
func usrUnmerged(p string) string {
	for _, d := range []string{"/usr/bin/", "/usr/sbin/", "/usr/lib/", "/usr/lib32/", "/usr/lib64/", "/usr/libx32/"} {
		if strings.HasPrefix(p, d) {
			return strings.TrimPrefix(p, "/usr")
		}
	}
	return p
}

func under(p string, dirs []string) bool {
	for _, d := range dirs {
		if d == "/" || p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
