// Package purltype maps between the SBOM model's package types and the type
// names of package URLs and of syft's JSON.
package purltype

import (
	"strings"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// purlTypes lists, for each model type, its package-URL type.
var purlTypes = []struct {
	model sbom.Type
	purl  string
}{
	{sbom.TypeDeb, "deb"},
	{sbom.TypeApk, "apk"},
	{sbom.TypeRPM, "rpm"},
	{sbom.TypeNpm, "npm"},
	{sbom.TypePython, "pypi"},
	{sbom.TypeGoModule, "golang"},
	{sbom.TypeJavaArchive, "maven"},
	{sbom.TypeGem, "gem"},
	{sbom.TypeRustCrate, "cargo"},
	{sbom.TypeComposer, "composer"},
	{sbom.TypeDotnet, "nuget"},
}

// FromPURL returns the model type of a package URL ("pkg:pypi/django@5.0" gives
// python), or "" when the purl is empty, malformed or of a type the model does
// not know.
func FromPURL(purl string) sbom.Type {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return ""
	}
	rest = strings.TrimLeft(rest, "/")
	typ, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	typ = strings.ToLower(typ)
	for _, t := range purlTypes {
		if t.purl == typ {
			return t.model
		}
	}
	return ""
}

// PURLType returns the package-URL type of a model type, or "" when it has none.
func PURLType(t sbom.Type) string {
	for _, pt := range purlTypes {
		if pt.model == t {
			return pt.purl
		}
	}
	return ""
}

// syftAliases are the syft package types whose model type is spelled
// differently; every other syft type the model knows is spelled the same.
var syftAliases = map[string]sbom.Type{
	"jenkins-plugin": sbom.TypeJavaArchive,
	"dotnet-deps":    sbom.TypeDotnet,
}

// FromSyft returns the model type of a syft package type ("deb", "python",
// "go-module", "java-archive"…), or "" when the model has none.
func FromSyft(typ string) sbom.Type {
	if t, ok := syftAliases[typ]; ok {
		return t
	}
	for _, pt := range purlTypes {
		if string(pt.model) == typ {
			return pt.model
		}
	}
	return ""
}
