// Package distro identifies the Linux distribution of a root filesystem from
// os-release, with fallbacks to the older release files when it is missing.
package distro

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// Distro is what os-release (or a fallback file) says about the distribution.
type Distro struct {
	ID         string   `json:"id"`
	VersionID  string   `json:"versionID,omitempty"`
	Codename   string   `json:"codename,omitempty"`
	IDLike     []string `json:"idLike,omitempty"`
	PrettyName string   `json:"prettyName,omitempty"`
	Source     string   `json:"source"` // the file it was read from
}

// Files are the paths Identify reads, in order of preference. os-release is usually
// a symlink into /usr/lib, so both are listed.
var Files = []string{
	"/etc/os-release",
	"/usr/lib/os-release",
	"/etc/debian_version",
	"/etc/alpine-release",
	"/etc/redhat-release",
}

// Identify tries each of Files through read (which returns the file's content, or
// an error when it is missing) and returns the first distribution found.
func Identify(read func(path string) ([]byte, error)) (Distro, bool) {
	for _, p := range Files {
		b, err := read(p)
		if err != nil || len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var d Distro
		switch p {
		case "/etc/os-release", "/usr/lib/os-release":
			d = ParseOSRelease(b)
		case "/etc/debian_version":
			d = Distro{ID: "debian", VersionID: debianVersion(b)}
		case "/etc/alpine-release":
			d = Distro{ID: "alpine", VersionID: firstLine(b)}
		case "/etc/redhat-release":
			d = parseRedHatRelease(firstLine(b))
		}
		if d.ID != "" {
			d.Source = p
			return d, true
		}
	}
	return Distro{}, false
}

// ParseOSRelease parses os-release(5): KEY=value lines, values optionally quoted
// with shell quoting. Unknown keys are ignored; malformed lines are skipped.
func ParseOSRelease(b []byte) Distro {
	var d Distro
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = unquote(strings.TrimSpace(v))
		switch strings.TrimSpace(k) {
		case "ID":
			d.ID = strings.ToLower(v)
		case "VERSION_ID":
			d.VersionID = v
		case "VERSION_CODENAME":
			d.Codename = v
		case "ID_LIKE":
			d.IDLike = strings.Fields(strings.ToLower(v))
		case "PRETTY_NAME":
			d.PrettyName = v
		}
	}
	return d
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		if v[0] == '"' {
			if u, err := strconv.Unquote(v); err == nil {
				return u
			}
		}
		return v[1 : len(v)-1]
	}
	return v
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return strings.TrimSpace(string(line))
}

// debianVersion turns "12.5" into "12" and leaves "bookworm/sid" as it is.
func debianVersion(b []byte) string {
	v := firstLine(b)
	if major, _, ok := strings.Cut(v, "."); ok {
		if _, err := strconv.Atoi(major); err == nil {
			return major
		}
	}
	return v
}

// parseRedHatRelease reads "Rocky Linux release 9.3 (Blue Onyx)" and the like.
func parseRedHatRelease(s string) Distro {
	lower := strings.ToLower(s)
	name, rest, ok := strings.Cut(lower, " release ")
	if !ok {
		return Distro{}
	}
	id := map[string]string{
		"red hat enterprise linux": "rhel", "red hat enterprise linux server": "rhel",
		"centos linux": "centos", "centos stream": "centos", "rocky linux": "rocky",
		"almalinux": "almalinux", "fedora": "fedora", "oracle linux server": "ol",
	}[name]
	if id == "" {
		id = strings.ReplaceAll(name, " ", "")
	}
	version, _, _ := strings.Cut(rest, " ")
	return Distro{ID: id, VersionID: version, PrettyName: s}
}
