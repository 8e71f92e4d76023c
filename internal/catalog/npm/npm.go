// Package npm catalogs JavaScript packages: those installed under node_modules
// (each package's own package.json, nested and scoped), and those a lockfile pins
// but that are not installed in the image: package-lock.json and
// npm-shrinkwrap.json (versions 1 to 3), yarn.lock (classic v1 and berry),
// pnpm-lock.yaml (5, 6, 9). A package-lock (and a pnpm lockfile before 9) also says
// which packages are development dependencies.
package npm

import (
	"archive/tar"
	"context"
	"path"
	"slices"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/plimsoll/plimsoll/internal/catalog"
	"github.com/plimsoll/plimsoll/internal/catalog/internal/spdx"
	"github.com/plimsoll/plimsoll/internal/layerfs"
	"github.com/plimsoll/plimsoll/internal/sbom"
)

// Cataloger finds npm packages.
type Cataloger struct{}

var _ catalog.Cataloger = (*Cataloger)(nil)

// New returns the npm cataloger.
func New() *Cataloger { return &Cataloger{} }

// Name is "npm".
func (*Cataloger) Name() string { return "npm" }

// Requests asks for installed packages' package.json and for lockfiles outside
// node_modules.
func (*Cataloger) Requests() []layerfs.Request {
	return []layerfs.Request{{Match: func(p string, _ *tar.Header) bool {
		return isInstalledManifest(p) || isLockfile(p)
	}}}
}

// isInstalledManifest reports whether p is .../node_modules/NAME/package.json or
// .../node_modules/@SCOPE/NAME/package.json, or the same under Debian's
// /usr/share/nodejs and /usr/lib/nodejs, where its node-* packages install modules.
func isInstalledManifest(p string) bool {
	if !strings.HasSuffix(p, "/package.json") {
		return false
	}
	dir := path.Dir(p)
	parent := path.Dir(dir)
	if strings.HasPrefix(path.Base(dir), ".") {
		return false
	}
	if strings.HasPrefix(path.Base(parent), "@") {
		parent = path.Dir(parent)
	}
	return path.Base(parent) == "node_modules" || parent == "/usr/share/nodejs" || parent == "/usr/lib/nodejs"
}

func isLockfile(p string) bool {
	switch path.Base(p) {
	case "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml":
		return !strings.Contains(p, "/node_modules/")
	}
	return false
}

// parseLockfile parses a package-lock.json, npm-shrinkwrap.json, yarn.lock or
// pnpm-lock.yaml.
func parseLockfile(p string, b []byte) (*Lock, error) {
	switch path.Base(p) {
	case "yarn.lock":
		return ParseYarnLock(b)
	case "pnpm-lock.yaml":
		return ParsePnpmLock(b)
	}
	return ParseLock(b)
}

// Catalog reads the lockfiles, then the installed packages.
func (*Cataloger) Catalog(ctx context.Context, in *catalog.Input) ([]sbom.Package, []sbom.Relationship, error) {
	locks := map[string]*LockEntry{} // absolute install dir → lock entry
	var pending []lockRef
	for _, f := range in.Files() {
		if !isLockfile(f.Path) {
			continue
		}
		b, err := in.ReadFile(f.Path)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		l, err := parseLockfile(f.Path, b)
		if err != nil {
			in.Warn(f.Path, err)
			continue
		}
		intro := in.Introductions(f, lockKeys(f.Path))
		for i := range l.Entries {
			e := &l.Entries[i]
			if e.Path != "" {
				locks[path.Join(path.Dir(f.Path), e.Path)] = e
			}
			pending = append(pending, lockRef{file: f, lock: l, entry: e, introduced: intro})
		}
	}
	var pkgs []sbom.Package
	for _, f := range in.Files() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if !isInstalledManifest(f.Path) {
			continue
		}
		if p, ok := installedPackage(in, f, locks[path.Dir(f.Path)]); ok {
			pkgs = append(pkgs, p)
		}
	}
	installed := installedUnder(pkgs, pending)
	for _, r := range pending {
		if !installed[path.Dir(r.file.Path)][r.entry.Name+"@"+r.entry.Version] {
			pkgs = append(pkgs, lockedPackage(in, r))
		}
	}
	return pkgs, nil, nil
}

// installedUnder maps each lockfile's directory to the name@version of every
// package installed in its node_modules tree: a locked package that is installed
// is reported once, from its package.json.
func installedUnder(pkgs []sbom.Package, pending []lockRef) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, r := range pending {
		out[path.Dir(r.file.Path)] = map[string]bool{}
	}
	for dir, set := range out {
		prefix := strings.TrimSuffix(dir, "/") + "/node_modules/"
		for _, p := range pkgs {
			if strings.HasPrefix(p.Locations[0].Path, prefix) {
				set[p.Name+"@"+p.Version] = true
			}
		}
	}
	return out
}

type lockRef struct {
	file       *layerfs.File
	lock       *Lock
	entry      *LockEntry
	introduced func(key string) int
}

func installedPackage(in *catalog.Input, f *layerfs.File, lock *LockEntry) (sbom.Package, bool) {
	b, err := in.ReadFile(f.Path)
	if err != nil {
		in.Warn(f.Path, err)
		return sbom.Package{}, false
	}
	m, err := ParseManifest(b)
	if err != nil {
		in.Warn(f.Path, err)
		return sbom.Package{}, false
	}
	if m.Name == "" || m.Version == "" {
		in.Warn(f.Path, errIncomplete)
		return sbom.Package{}, false
	}
	md := &sbom.NpmMetadata{Homepage: m.Homepage, Author: m.Author, Private: m.Private}
	p := sbom.Package{Name: m.Name, Version: m.Version, Type: sbom.TypeNpm, PURL: purl(m.Name, m.Version),
		Licenses: licenses(m.Licenses...), Locations: []sbom.Location{in.Location(f.Path)}, Metadata: md}
	if lock != nil && lock.Name == m.Name && lock.Version == m.Version {
		p.Dev = lock.Dev
		md.Resolved, md.Integrity = lock.Resolved, lock.Integrity
	}
	p.IntroducedBy = catalog.IntroducedBy(in.Versions(f.Path), f.Layer, func(v catalog.Version) bool {
		old, err := ParseManifest(v.Content)
		return err == nil && old.Name == m.Name && old.Version == m.Version
	})
	p.ComputeID()
	return p, true
}

func lockedPackage(in *catalog.Input, r lockRef) sbom.Package {
	e := r.entry
	p := sbom.Package{Name: e.Name, Version: e.Version, Type: sbom.TypeNpm, PURL: purl(e.Name, e.Version),
		Licenses: licenses(e.License), Locations: []sbom.Location{in.Location(r.file.Path)}, Dev: e.Dev,
		Metadata: &sbom.NpmMetadata{Resolved: e.Resolved, Integrity: e.Integrity, Lockfile: r.lock.Version, LockfileType: r.lock.Type}}
	p.IntroducedBy = r.introduced(e.Name + "@" + e.Version)
	p.ComputeID()
	return p
}

// lockKeys lists the name@version of every package one version of a lockfile pins.
func lockKeys(p string) func([]byte) map[string]bool {
	return func(b []byte) map[string]bool {
		l, err := parseLockfile(p, b)
		if err != nil {
			return nil
		}
		keys := map[string]bool{}
		for _, e := range l.Entries {
			keys[e.Name+"@"+e.Version] = true
		}
		return keys
	}
}

func licenses(declared ...string) []string {
	var out []string
	for _, d := range declared {
		out = append(out, spdx.Split(d)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// purl is pkg:npm/%40scope/name@version.
func purl(name, version string) string {
	ns, n := "", name
	if strings.HasPrefix(name, "@") {
		if s, rest, ok := strings.Cut(name, "/"); ok {
			ns, n = s, rest
		}
	}
	return packageurl.NewPackageURL(packageurl.TypeNPM, ns, n, version, nil, "").ToString()
}
