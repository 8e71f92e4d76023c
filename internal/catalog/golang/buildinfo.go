package golang

import (
	"bytes"
	"debug/buildinfo"
	"io"
	"runtime/debug"
	"strings"
)

// Module is one module compiled into a binary.
type Module struct {
	Path    string
	Version string
	Sum     string
	Replace string // "path@version" or a local directory the module was replaced by
	Main    bool
}

// Binary is what a Go binary's build information says.
type Binary struct {
	GoVersion string // "go1.22.3"
	Main      Module
	Deps      []Module
	GOOS      string
	GOARCH    string
}

// reducedMagic starts the reduced form of a Go binary: its toolchain version on a
// line, then its build information in the text form runtime/debug writes and
// parses.
const reducedMagic = "plimsoll-go-buildinfo\n"

// ReduceStream keeps only a Go executable's build information, as text, reading
// the file once front to back; other files reduce to nothing. Binaries from
// before Go 1.18, whose build information is reached through pointers, give an
// error (a warning naming the file).
func ReduceStream(_ string, r io.Reader) ([]byte, error) {
	goVersion, modinfo, ok, err := ScanBuildInfo(r)
	if err != nil || !ok {
		return nil, err
	}
	// debug.ParseBuildInfo does not read the "go" line back, so the toolchain
	// version goes first on a line of its own.
	return []byte(reducedMagic + goVersion + "\n" + modinfo), nil
}

// ReadBinary reads the build information of a Go executable (ELF, Mach-O, PE,
// Plan 9 or XCOFF), or the reduced form Reduce keeps. ok is false for anything
// that is not a Go binary with build information.
func ReadBinary(content []byte) (b Binary, ok bool) {
	var info *debug.BuildInfo
	var err error
	if rest, reduced := bytes.CutPrefix(content, []byte(reducedMagic)); reduced {
		goVersion, text, _ := strings.Cut(string(rest), "\n")
		if info, err = debug.ParseBuildInfo(text); err == nil {
			info.GoVersion = goVersion
		}
	} else {
		info, err = buildinfo.Read(bytes.NewReader(content))
	}
	if err != nil || info == nil {
		return Binary{}, false
	}
	b = Binary{GoVersion: info.GoVersion, Main: module(&info.Main)}
	b.Main.Main = true
	for _, s := range info.Settings {
		switch s.Key {
		case "GOOS":
			b.GOOS = s.Value
		case "GOARCH":
			b.GOARCH = s.Value
		}
	}
	for _, d := range info.Deps {
		if d != nil && d.Path != "" {
			b.Deps = append(b.Deps, module(d))
		}
	}
	return b, true
}

// module turns a build-info module into ours. A replacement by another module
// version (a fork) is what was compiled, so it gives the path and version; a
// replacement by a local directory keeps the required path and version.
func module(m *debug.Module) Module {
	out := Module{Path: m.Path, Version: m.Version, Sum: m.Sum}
	if r := m.Replace; r != nil {
		local := r.Version == "" || r.Version == "(devel)" || strings.HasPrefix(r.Path, ".") || strings.HasPrefix(r.Path, "/")
		if !local {
			out.Replace = m.Path + "@" + m.Version
			out.Path, out.Version, out.Sum = r.Path, r.Version, r.Sum
		} else {
			out.Replace = r.Path
		}
	}
	return out
}

// stdlibVersion is the toolchain's version as a module version: "go1.22.3" with
// any experiment suffix (" X:boringcrypto") dropped.
func stdlibVersion(goVersion string) string {
	v, _, _ := strings.Cut(goVersion, " ")
	return v
}
