package java

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Limits bound what one archive may make the reader do.
type Limits struct {
	Depth    int     // nested archives deeper than this are not opened
	MaxEntry int64   // largest entry read (uncompressed bytes)
	MaxRatio float64 // largest uncompressed/compressed ratio of an entry read
}

// DefaultLimits allow a Spring Boot fat jar and a WAR of jars, and stop zip bombs.
func DefaultLimits() Limits { return Limits{Depth: 3, MaxEntry: 64 << 20, MaxRatio: 100} }

// Artifact is one Java package found in an archive.
type Artifact struct {
	GroupID     string
	ArtifactID  string
	Version     string
	VirtualPath string // "app.jar!/BOOT-INF/lib/x.jar" for a nested archive
	FromPom     bool   // identified by pom.properties, not only the manifest or file name
}

// Archive lists the artifacts of a Java archive and of the archives nested in it.
// Problems with nested entries (too large, too compressed, corrupt) are returned
// beside what could be read.
func Archive(name string, content []byte, lim Limits) ([]Artifact, []error) {
	var out []Artifact
	var problems []error
	readArchive(name, content, lim, 0, &out, &problems)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.VirtualPath != b.VirtualPath {
			return a.VirtualPath < b.VirtualPath
		}
		return a.GroupID+":"+a.ArtifactID+"@"+a.Version < b.GroupID+":"+b.ArtifactID+"@"+b.Version
	})
	return out, problems
}

func readArchive(vpath string, content []byte, lim Limits, depth int, out *[]Artifact, problems *[]error) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		*problems = append(*problems, fmt.Errorf("%s: not a zip archive: %w", vpath, err))
		return
	}
	var manifest map[string]string
	found := 0
	for _, f := range zr.File {
		switch {
		case f.Name == "META-INF/MANIFEST.MF":
			if b, err := readEntry(f, lim); err == nil {
				manifest = ParseManifest(b)
			} else {
				*problems = append(*problems, fmt.Errorf("%s!/%s: %w", vpath, f.Name, err))
			}
		case strings.HasPrefix(f.Name, "META-INF/maven/") && path.Base(f.Name) == "pom.properties":
			b, err := readEntry(f, lim)
			if err != nil {
				*problems = append(*problems, fmt.Errorf("%s!/%s: %w", vpath, f.Name, err))
				continue
			}
			g, a, v := ParsePomProperties(b)
			if a != "" && v != "" {
				*out = append(*out, Artifact{GroupID: g, ArtifactID: a, Version: v, VirtualPath: vpath, FromPom: true})
				found++
			}
		case isArchiveName(f.Name) && !f.FileInfo().IsDir():
			if depth+1 > lim.Depth {
				*problems = append(*problems, fmt.Errorf("%s!/%s: nested deeper than %d archives; not read", vpath, f.Name, lim.Depth))
				continue
			}
			b, err := readEntry(f, lim)
			if err != nil {
				*problems = append(*problems, fmt.Errorf("%s!/%s: %w", vpath, f.Name, err))
				continue
			}
			readArchive(vpath+"!/"+f.Name, b, lim, depth+1, out, problems)
		}
	}
	if self, ok := identity(vpath, manifest); ok && !ownPom(*out, vpath, self, found) {
		*out = append(*out, self)
	}
}

// ownPom reports whether the archive's pom.properties (found of them, the last
// entries of out) identify the archive itself: one has its name, or the only one
// has its version. Otherwise the poms are of classes shaded into it (Debian's
// guice.jar carries cglib's), and the archive is a package of its own.
func ownPom(out []Artifact, vpath string, self Artifact, found int) bool {
	poms := out[len(out)-found:]
	for _, p := range poms {
		if strings.EqualFold(p.ArtifactID, self.ArtifactID) {
			return true
		}
	}
	return found == 1 && poms[0].Version == self.Version
}

// readEntry reads one zip entry within the limits.
func readEntry(f *zip.File, lim Limits) ([]byte, error) {
	if f.UncompressedSize64 > uint64(lim.MaxEntry) {
		return nil, fmt.Errorf("%d bytes uncompressed exceeds the %d-byte limit; not read", f.UncompressedSize64, lim.MaxEntry)
	}
	if f.CompressedSize64 > 0 && float64(f.UncompressedSize64)/float64(f.CompressedSize64) > lim.MaxRatio {
		return nil, fmt.Errorf("compression ratio %.0f exceeds %.0f (a zip bomb?); not read",
			float64(f.UncompressedSize64)/float64(f.CompressedSize64), lim.MaxRatio)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The sizes in the header are not trusted: read at most the limit plus one.
	b, err := io.ReadAll(io.LimitReader(rc, lim.MaxEntry+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > lim.MaxEntry {
		return nil, fmt.Errorf("more than %d bytes uncompressed; not read", lim.MaxEntry)
	}
	return b, nil
}

// fileName splits "commons-lang3-3.12.0.jar" into its name and version.
var fileName = regexp.MustCompile(`^(.+?)(?:-(\d[\w.+~-]*))?\.(?:jar|war|ear|jpi|hpi)$`)

// identity names an archive as syft and Maven users do: by its file name, then its
// manifest's title or symbolic name; versioned by its manifest, then its file name.
func identity(vpath string, m map[string]string) (Artifact, bool) {
	base := vpath
	if i := strings.LastIndex(base, "/"); i >= 0 {
		base = base[i+1:]
	}
	var name, version string
	if fm := fileName.FindStringSubmatch(strings.ToLower(base)); fm != nil {
		name, version = base[:len(fm[1])], fm[2]
	}
	if name == "" {
		name = firstOf(m, "Implementation-Title", "Bundle-SymbolicName")
		if strings.Contains(name, " ") {
			name = firstOf(m, "Bundle-SymbolicName")
		}
	}
	if v := firstOf(m, "Implementation-Version", "Bundle-Version", "Specification-Version"); v != "" {
		version = v
	}
	if name == "" || version == "" {
		return Artifact{}, false
	}
	return Artifact{ArtifactID: name, Version: version, VirtualPath: vpath}, true
}

func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(m[k]); v != "" {
			v, _, _ = strings.Cut(v, ";") // Bundle-SymbolicName: x;singleton:=true
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// isArchiveName reports whether a file name is a Java archive's.
func isArchiveName(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".jar", ".war", ".ear", ".jpi", ".hpi":
		return true
	}
	return false
}
