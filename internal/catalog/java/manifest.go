package java

import (
	"bufio"
	"bytes"
	"strings"
)

// ParseManifest reads the main section of a META-INF/MANIFEST.MF: "Key: value"
// lines, continuation lines starting with one space, up to the first blank line.
func ParseManifest(b []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var last string
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			break
		}
		if line[0] == ' ' {
			if last != "" {
				out[last] += line[1:]
			}
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			last = ""
			continue
		}
		last = strings.TrimSpace(k)
		out[last] = strings.TrimSpace(v)
	}
	return out
}

// ParsePomProperties reads a META-INF/maven/…/pom.properties.
func ParsePomProperties(b []byte) (groupID, artifactID, version string) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "groupId":
			groupID = strings.TrimSpace(v)
		case "artifactId":
			artifactID = strings.TrimSpace(v)
		case "version":
			version = strings.TrimSpace(v)
		}
	}
	return groupID, artifactID, version
}

const maxLine = 1 << 20
