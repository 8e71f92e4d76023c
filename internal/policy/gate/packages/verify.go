package packages

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// The dpkg files verify reads.
const (
	dpkgInfo   = "/var/lib/dpkg/info"
	dpkgCfg    = "/etc/dpkg/dpkg.cfg"
	dpkgCfgDir = "/etc/dpkg/dpkg.cfg.d"
)

// matchNothing stands for a path-exclude glob that does not compile.
var matchNothing = regexp.MustCompile(`^\b$`)

// verify checks installed files against dpkg's md5sums, as dpkg --verify does.
type verify struct{}

var _ gate.ArgsRequester = verify{}

func (verify) Name() string { return "verify" }
func (verify) Description() string {
	return "Fires for each file a Debian package installed that is missing or changed (MD5 against info/<pkg>.md5sums). " +
		"Paths dpkg's path-exclude settings keep out are skipped. Checking contents (changed) holds the files under only_directories, which it therefore needs."
}
func (verify) Params() []gate.Param {
	return []gate.Param{
		{Name: "only_packages", Type: gate.List, Description: "only these packages"},
		{Name: "only_directories", Type: gate.List, Description: "only files under these directories (required to check contents)"},
		{Name: "check", Type: gate.Enum, Enum: []string{"changed", "missing"}, Description: "only this check (default both)"},
	}
}

func (verify) RequestsFor(a gate.Args) []layerfs.Request {
	rq := []layerfs.Request{{Globs: []string{dpkgInfo + "/*.md5sums", dpkgCfgDir + "/*"}, Paths: []string{dpkgCfg}}}
	if dirs := cleanDirs(a.List("only_directories")); len(dirs) > 0 && a.String("check") != "missing" {
		rq = append(rq, layerfs.Request{Match: func(p string, h *tar.Header) bool {
			return h.Typeflag == tar.TypeReg && under(p, dirs)
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
	return func(_ context.Context, in *gate.Input) ([]gate.Fire, error) {
		if in.FS == nil {
			return nil, nil
		}
		excluded := pathExcludes(in.FS)
		var out []gate.Fire
		for _, f := range in.FS.Squashed() {
			pkg, ok := strings.CutSuffix(path.Base(f.Path), ".md5sums")
			if !ok || path.Dir(f.Path) != dpkgInfo {
				continue
			}
			pkg, _, _ = strings.Cut(pkg, ":")
			if len(pkgs) > 0 && !slices.Contains(pkgs, pkg) {
				continue
			}
			b, err := in.FS.ReadFile(f.Path)
			if err != nil {
				continue
			}
			for _, e := range parseSums(b) {
				if (len(dirs) > 0 && !under(e.path, dirs)) || excluded(e.path) {
					continue
				}
				if fr, ok := verifyFile(in.FS, pkg, e, check, len(dirs) > 0); ok {
					out = append(out, fr)
				}
			}
		}
		return out, nil
	}, nil
}

// verifyFile checks one file of a package; contents only when they were held.
func verifyFile(fsys gate.Files, pkg string, e sum, check string, contents bool) (gate.Fire, bool) {
	id := pkg + ":" + e.path
	file, ok := resolve(fsys, e.path)
	if !ok {
		if check == "changed" {
			return gate.Fire{}, false
		}
		return gate.Fire{ID: id, Layer: gate.NoLayer, Path: e.path, Detail: fmt.Sprintf("%s of package %s is missing", e.path, pkg)}, true
	}
	if check == "missing" || !contents || file.Type != layerfs.Regular {
		return gate.Fire{}, false
	}
	b, err := fsys.ReadFile(e.path)
	if err != nil {
		return gate.Fire{}, false
	}
	got := md5.Sum(b)
	if hex.EncodeToString(got[:]) == e.md5 {
		return gate.Fire{}, false
	}
	return gate.Fire{ID: id, Layer: file.Layer, Path: e.path, Detail: fmt.Sprintf("%s of package %s has changed (MD5 differs from dpkg's)", e.path, pkg)}, true
}

type sum struct{ md5, path string }

// parseSums reads "MD5  relative/path" lines.
func parseSums(b []byte) []sum {
	var out []sum
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		h, p, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if p = strings.TrimSpace(p); ok && len(h) == 32 && p != "" {
			out = append(out, sum{md5: strings.ToLower(h), path: path.Clean("/" + p)})
		}
	}
	return out
}

// resolver is implemented by file indexes that resolve symlinks in a path's
// parents (layerfs.FS does): Debian lists /bin/sh where merged-/usr images
// have /usr/bin/sh behind a /bin symlink.
type resolver interface {
	Resolve(p string) (string, error)
}

func resolve(fsys gate.Files, p string) (*layerfs.File, bool) {
	if r, ok := fsys.(resolver); ok {
		if real, err := r.Resolve(p); err == nil {
			p = real
		}
	}
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

// pathExcludes reads dpkg's path-exclude and path-include settings: a path is
// excluded by the last matching directive, as dpkg decides.
func pathExcludes(fsys gate.Files) func(string) bool {
	type directive struct {
		exclude bool
		re      *regexp.Regexp
	}
	var ds []directive
	var cfgs []string
	for _, f := range fsys.Squashed() {
		if f.Path == dpkgCfg || path.Dir(f.Path) == dpkgCfgDir {
			cfgs = append(cfgs, f.Path)
		}
	}
	for _, c := range cfgs {
		b, err := fsys.ReadFile(c)
		if err != nil {
			continue
		}
		for l := range strings.SplitSeq(string(b), "\n") {
			// dpkg.cfg writes "option value" or "option=value".
			k, v, _ := strings.Cut(strings.Replace(strings.TrimSpace(l), "=", " ", 1), " ")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if (k == "path-exclude" || k == "path-include") && v != "" {
				ds = append(ds, directive{exclude: k == "path-exclude", re: fnmatch(v)})
			}
		}
	}
	return func(p string) bool {
		ex := false
		for _, d := range ds {
			if d.re.MatchString(p) {
				ex = d.exclude
			}
		}
		return ex
	}
}

// fnmatch compiles an fnmatch(3) pattern without FNM_PATHNAME (a star matches
// slashes too), as dpkg matches path-exclude globs.
func fnmatch(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := strings.IndexByte(glob[i:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := glob[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return matchNothing
	}
	return re
}

func cleanDirs(dirs []string) []string {
	var out []string
	for _, d := range dirs {
		out = append(out, path.Clean(d))
	}
	return out
}

func under(p string, dirs []string) bool {
	for _, d := range dirs {
		if d == "/" || p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
