package layerfs

import (
	"errors"
	"io/fs"
	"path"
	"strings"
)

// maxSymlinkHops is how many symlinks one resolution may follow, as Linux allows.
const maxSymlinkHops = 40

// ErrSymlinkLoop reports a path whose symlinks do not end within maxSymlinkHops.
var ErrSymlinkLoop = errors.New("too many levels of symbolic links")

// Resolve returns the path p names after following every symlink in it, as a kernel
// would inside a chroot at the image root: absolute targets start again at the root
// and ".." never climbs above it. Elements that do not exist are kept as written, so
// the result may name a missing file.
func (f *FS) Resolve(p string) (string, error) {
	pending := splitPath(p)
	resolved := "/"
	hops := 0
	for len(pending) > 0 {
		c := pending[0]
		pending = pending[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			resolved = path.Dir(resolved)
			continue
		}
		next := path.Join(resolved, c)
		file, ok := f.Lookup(next)
		if !ok || file.Type != Symlink {
			resolved = next
			continue
		}
		hops++
		if hops > maxSymlinkHops {
			return "", &fs.PathError{Op: "resolve", Path: p, Err: ErrSymlinkLoop}
		}
		if strings.HasPrefix(file.Linkname, "/") {
			resolved = "/"
		}
		pending = append(splitPath(file.Linkname), pending...)
	}
	return resolved, nil
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}
