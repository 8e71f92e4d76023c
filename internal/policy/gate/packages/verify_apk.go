package packages

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"hash"
	"path"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/catalog/apk"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// apkProtectedDir holds the lists that add to apk's protected paths.
const apkProtectedDir = "/etc/apk/protected_paths.d"

func apkRequest() layerfs.Request {
	return layerfs.Request{Paths: apk.Databases(), Globs: []string{apkProtectedDir + "/*.list"}}
}

var apkHashes = map[string]struct {
	name string
	new  func() hash.Hash
}{apk.ChecksumMD5: {"MD5", md5.New}, apk.ChecksumSHA1: {"SHA-1", sha1.New}, apk.ChecksumSHA256: {"SHA-256", sha256.New}}

// verifyAPK emits the files of apk's installed database as apk audit --system
// reads them: files under protected paths (/etc but /etc/apk, symlinks under
// /etc/init.d, and what /etc/apk/protected_paths.d/*.list says) are
// configuration, skipped. A file's mode is its a: line's, 0644 without one;
// a symlink's checksum is over its target.
func verifyAPK(fsys gate.Files, emit func(expect)) {
	dbs := apk.Databases()
	var prot *protected
	for _, f := range fsys.Squashed() {
		if !slices.Contains(dbs, f.Path) {
			continue
		}
		b, err := fsys.ReadFile(f.Path)
		if err != nil {
			continue
		}
		if prot == nil {
			prot = protectedPaths(fsys)
		}
		entries, _ := apk.ParseInstalledFiles(b) // problems: the cataloger warns
		for _, en := range entries {
			for _, r := range en.Records {
				mode := prot.mode(r.Path)
				if mode == '+' || mode == '-' {
					continue
				}
				e := expect{mgr: "apk", pkg: en.Name, path: r.Path, size: -1, linkDigest: true,
					mode: layerfs.Mode(r.Mode), hasMode: true}
				if mode == '@' {
					e.skipSymlink = true
				}
				if alg, sum, err := apk.ParseChecksum(r.Checksum); err == nil {
					e.newHash, e.hashName, e.sum = apkHashes[alg].new, apkHashes[alg].name, sum
				}
				emit(e)
			}
		}
	}
}

// protected is apk's protected-path table: for each path (relative to the
// root, without a slash at either end) its mode: '+' protected (configuration),
// '-' ignored, '@' only symlinks protected, '!' not protected.
// Rules whose last element is a glob (ca-cert-*.pem) are matched against the
// whole path of a file.
type protected struct {
	rules map[string]byte
	globs []glob
}

type glob struct {
	pattern string
	mode    byte
}

// protectedPaths reads apk's defaults and the lists in protected_paths.d, as
// apk does when it opens its database.
func protectedPaths(fsys gate.Files) *protected {
	p := &protected{rules: map[string]byte{"etc": '+', "etc/init.d": '@', "etc/apk": '!'}}
	for _, f := range fsys.Squashed() {
		if path.Dir(f.Path) != apkProtectedDir || !strings.HasSuffix(f.Path, ".list") {
			continue
		}
		b, err := fsys.ReadFile(f.Path)
		if err != nil {
			continue
		}
		p.parse(string(b))
	}
	return p
}

// parse reads list lines: an optional mode character then a path; a line
// without one is protected, # starts a comment.
func (p *protected) parse(list string) {
	for l := range strings.SplitSeq(list, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' {
			continue
		}
		mode := byte('+')
		if strings.IndexByte("+-@!", l[0]) >= 0 {
			mode, l = l[0], l[1:]
		}
		l = strings.Trim(path.Clean("/"+l), "/")
		switch {
		case l == "":
		case strings.ContainsAny(l, "*?["):
			if _, err := path.Match(l, ""); err == nil {
				p.globs = append(p.globs, glob{l, mode})
			}
		default:
			p.rules[l] = mode
		}
	}
}

// mode returns the mode of the nearest listed ancestor of a file (or the file
// itself); 0 when none is listed.
func (p *protected) mode(file string) byte {
	rel := strings.Trim(file, "/")
	for i := len(p.globs) - 1; i >= 0; i-- {
		if ok, _ := path.Match(p.globs[i].pattern, rel); ok {
			return p.globs[i].mode
		}
	}
	for ; rel != "." && rel != ""; rel = path.Dir(rel) {
		if m, ok := p.rules[rel]; ok {
			return m
		}
	}
	return 0
}
