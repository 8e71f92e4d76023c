package dpkg

import (
	"bufio"
	"bytes"
	"path"
	"strings"
)

// ParseList reads an info/<pkg>.list file: one absolute path per line.
func ParseList(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(p, "/") && p != "/." {
			out = append(out, path.Clean(p))
		}
	}
	return out
}

// ParseMD5Sums reads a <pkg>.md5sums file: "HASH  relative/path" per line.
func ParseMD5Sums(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		_, p, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		p = strings.TrimSpace(p)
		if ok && p != "" {
			out = append(out, path.Clean("/"+p))
		}
	}
	return out
}

// infoName returns the package name an info/ or status.d/ file belongs to, and the
// architecture when the name carries one ("libc6:amd64.list").
func infoName(p, ext string) (name, arch string) {
	base := strings.TrimSuffix(path.Base(p), ext)
	name, arch, _ = strings.Cut(base, ":")
	return name, arch
}
