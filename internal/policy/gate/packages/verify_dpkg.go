package packages

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"path"
	"regexp"
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

func dpkgRequest() layerfs.Request {
	return layerfs.Request{Globs: []string{dpkgInfo + "/*.md5sums", dpkgCfgDir + "/*"}, Paths: []string{dpkgCfg}}
}

// verifyDpkg emits the files of info/<pkg>.md5sums (conffiles are not in
// them) that dpkg's path-exclude settings do not keep out.
func verifyDpkg(fsys gate.Files, emit func(expect)) {
	var excluded func(string) bool
	for _, f := range fsys.Squashed() {
		pkg, ok := strings.CutSuffix(path.Base(f.Path), ".md5sums")
		if !ok || path.Dir(f.Path) != dpkgInfo {
			continue
		}
		pkg, _, _ = strings.Cut(pkg, ":")
		b, err := fsys.ReadFile(f.Path)
		if err != nil {
			continue
		}
		if excluded == nil {
			excluded = pathExcludes(fsys)
		}
		for _, s := range parseSums(b) {
			if excluded(s.path) {
				continue
			}
			sum, err := hex.DecodeString(s.md5)
			if err != nil {
				continue
			}
			emit(expect{mgr: "dpkg", pkg: pkg, path: s.path, newHash: md5.New, hashName: "MD5", sum: sum, size: -1})
		}
	}
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
