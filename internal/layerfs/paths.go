package layerfs

import (
	"errors"
	"path"
	"strings"
)

// Whiteout markers, as the OCI image layer spec names them.
const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// errEscapes reports a tar entry whose ".." components climb above the root. Docker
// refuses such layers and so do we.
var errEscapes = errors.New("path escapes the image root")

// cleanEntryPath turns a tar entry name into an absolute clean path. Absolute names
// are legal but odd: they are normalised under the root and reported. A name whose
// ".." components climb above the root is an error; ".." that stays inside is fine.
func cleanEntryPath(name string) (p string, wasAbs bool, err error) {
	wasAbs = strings.HasPrefix(name, "/")
	depth := 0
	for _, c := range strings.Split(name, "/") {
		switch c {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return "", wasAbs, errEscapes
			}
		default:
			depth++
		}
	}
	return path.Clean("/" + name), wasAbs, nil
}

// whiteoutTarget classifies an entry path: a whiteout names the path it deletes, an
// opaque marker names the directory whose lower contents it hides.
func whiteoutTarget(p string) (target string, opaque, isWhiteout bool) {
	dir, base := path.Split(p)
	if strings.Contains(dir, "/"+whiteoutPrefix+whiteoutPrefix) {
		return "", false, true // inside an aufs bookkeeping directory
	}
	if !strings.HasPrefix(base, whiteoutPrefix) {
		return "", false, false
	}
	if base == opaqueMarker {
		return path.Clean(dir), true, true
	}
	if base == whiteoutPrefix || strings.HasPrefix(base, whiteoutPrefix+whiteoutPrefix) {
		// ".wh." alone names nothing; other ".wh..wh." names are aufs bookkeeping
		// (hardlink directories and the like) with no meaning in the image.
		return "", false, true
	}
	return path.Join(dir, base[len(whiteoutPrefix):]), false, true
}

// parentDirs calls fn for each proper ancestor of the absolute clean path p, nearest
// first, excluding the root. It stops when fn returns true and reports whether it did.
func parentDirs(p string, fn func(dir string) bool) bool {
	for {
		i := strings.LastIndexByte(p, '/')
		if i <= 0 {
			return false
		}
		p = p[:i]
		if fn(p) {
			return true
		}
	}
}
