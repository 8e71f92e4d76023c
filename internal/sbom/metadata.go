package sbom

// Metadata is a package's ecosystem-specific facts. Each implementation names
// itself, so the native JSON can decode it back to the same type.
type Metadata interface {
	MetadataType() string
}

// newMetadata returns an empty value of the named metadata type, or nil when the
// name is unknown. Every Metadata implementation is listed here.
func newMetadata(name string) Metadata {
	switch name {
	case "dpkg":
		return &DpkgMetadata{}
	case "apk":
		return &ApkMetadata{}
	case "npm":
		return &NpmMetadata{}
	case "python":
		return &PythonMetadata{}
	case "go-module":
		return &GoModuleMetadata{}
	case "gem":
		return &GemMetadata{}
	case "dotnet":
		return &DotnetMetadata{}
	case "php-composer":
		return &ComposerMetadata{}
	case "java-archive":
		return &JavaMetadata{}
	case "rpm":
		return &RpmMetadata{}
	case "rust-crate":
		return &RustMetadata{}
	}
	return nil
}

// DpkgMetadata is what the dpkg database says of a Debian package.
type DpkgMetadata struct {
	Source        string `json:"source,omitempty"`        // source package, when it differs from the name
	SourceVersion string `json:"sourceVersion,omitempty"` // when it differs from the version
	Architecture  string `json:"architecture,omitempty"`
	InstalledSize int64  `json:"installedSize,omitempty"` // KiB, as dpkg counts
	Maintainer    string `json:"maintainer,omitempty"`
	Depends       string `json:"depends,omitempty"`
	Files         int    `json:"files,omitempty"` // owned files listed in info/*.list or *.md5sums
}

// MetadataType names the type.
func (*DpkgMetadata) MetadataType() string { return "dpkg" }

// ApkMetadata is what the apk database says of an Alpine package.
type ApkMetadata struct {
	Origin        string `json:"origin,omitempty"` // source package
	Architecture  string `json:"architecture,omitempty"`
	InstalledSize int64  `json:"installedSize,omitempty"` // bytes
	Maintainer    string `json:"maintainer,omitempty"`
	Checksum      string `json:"checksum,omitempty"` // C: the package's control checksum
	Commit        string `json:"commit,omitempty"`   // c: the aports commit
	Files         int    `json:"files,omitempty"`
}

// MetadataType names the type.
func (*ApkMetadata) MetadataType() string { return "apk" }

// NpmMetadata is what package.json or a lockfile says of an npm package.
type NpmMetadata struct {
	Homepage  string `json:"homepage,omitempty"`
	Author    string `json:"author,omitempty"`
	Resolved  string `json:"resolved,omitempty"`  // lockfile: where it was fetched from
	Integrity string `json:"integrity,omitempty"` // lockfile: SRI hash
	Private   bool   `json:"private,omitempty"`
	Lockfile  int    `json:"lockfileVersion,omitempty"` // lockfile: its version
	// LockfileType names the lockfile the package came from, when no installed
	// package.json was found: "package-lock", "yarn" (classic), "yarn-berry" or
	// "pnpm".
	LockfileType string `json:"lockfileType,omitempty"`
}

// MetadataType names the type.
func (*NpmMetadata) MetadataType() string { return "npm" }

// PythonMetadata is what a dist-info METADATA or egg-info PKG-INFO says.
type PythonMetadata struct {
	DeclaredName string `json:"declaredName,omitempty"` // Name as written, before PEP 503 normalisation
	Summary      string `json:"summary,omitempty"`
	Author       string `json:"author,omitempty"`
	Homepage     string `json:"homepage,omitempty"`
	SitePackages string `json:"sitePackages,omitempty"` // the directory the distribution is installed in
	Installer    string `json:"installer,omitempty"`    // from INSTALLER: pip, uv, debian…
	Files        int    `json:"files,omitempty"`        // entries in RECORD
}

// MetadataType names the type.
func (*PythonMetadata) MetadataType() string { return "python" }

// GoModuleMetadata is what a Go binary's build information says of a module.
type GoModuleMetadata struct {
	GoVersion  string `json:"goVersion,omitempty"`
	MainModule string `json:"mainModule,omitempty"`
	Sum        string `json:"sum,omitempty"`
	Replace    string `json:"replace,omitempty"` // path@version it was replaced by
	GOOS       string `json:"goos,omitempty"`
	GOARCH     string `json:"goarch,omitempty"`
}

// MetadataType names the type.
func (*GoModuleMetadata) MetadataType() string { return "go-module" }

// GemMetadata is what an installed gem's specification says.
type GemMetadata struct {
	Authors  []string `json:"authors,omitempty"`
	Homepage string   `json:"homepage,omitempty"`
	Default  bool     `json:"default,omitempty"` // a default gem, shipped with Ruby itself
}

// MetadataType names the type.
func (*GemMetadata) MetadataType() string { return "gem" }

// DotnetMetadata is what a .NET application's deps.json says of a NuGet package.
type DotnetMetadata struct {
	SHA512        string `json:"sha512,omitempty"`        // of the .nupkg
	Path          string `json:"path,omitempty"`          // in the NuGet cache: "newtonsoft.json/13.0.3"
	RuntimeTarget string `json:"runtimeTarget,omitempty"` // ".NETCoreApp,Version=v8.0"
}

// MetadataType names the type.
func (*DotnetMetadata) MetadataType() string { return "dotnet" }

// ComposerMetadata is what Composer's installed.json says of a PHP package.
type ComposerMetadata struct {
	Homepage    string `json:"homepage,omitempty"`
	InstallPath string `json:"installPath,omitempty"` // relative to vendor/composer
}

// MetadataType names the type.
func (*ComposerMetadata) MetadataType() string { return "php-composer" }

// JavaMetadata is what a Java archive says of a package it holds.
type JavaMetadata struct {
	GroupID     string `json:"groupID,omitempty"`
	VirtualPath string `json:"virtualPath,omitempty"` // "app.jar!/BOOT-INF/lib/x.jar" for a nested archive
	FromPom     bool   `json:"fromPom,omitempty"`     // identified by pom.properties, not the manifest or file name
}

// MetadataType names the type.
func (*JavaMetadata) MetadataType() string { return "java-archive" }

// RpmMetadata is what the rpm database says of a package.
type RpmMetadata struct {
	Epoch           *int   `json:"epoch,omitempty"`
	Release         string `json:"release,omitempty"`
	Architecture    string `json:"architecture,omitempty"`
	SourceRPM       string `json:"sourceRpm,omitempty"`
	Vendor          string `json:"vendor,omitempty"`
	Size            int64  `json:"size,omitempty"` // installed bytes
	ModularityLabel string `json:"modularityLabel,omitempty"`
	Files           int    `json:"files,omitempty"`
}

// MetadataType names the type.
func (*RpmMetadata) MetadataType() string { return "rpm" }

// RustMetadata is what cargo-auditable recorded of a crate in a binary.
type RustMetadata struct {
	Source string `json:"source,omitempty"` // "crates.io", "local", "git"…
	Root   bool   `json:"root,omitempty"`   // the binary's own package
}

// MetadataType names the type.
func (*RustMetadata) MetadataType() string { return "rust-crate" }
