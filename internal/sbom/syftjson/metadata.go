package syftjson

import (
	"encoding/json"
	"strings"

	"github.com/plimsoll/plimsoll/internal/sbom"
)

// metadata converts the syft metadata types the model has a counterpart for;
// others are dropped (nil). A metadata block that does not parse is an error.
func metadata(typ string, raw json.RawMessage, name, version string) (sbom.Metadata, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch typ {
	case "dpkg-db-entry", "DpkgMetadata":
		return dpkg(raw, name, version)
	case "apk-db-entry", "ApkMetadata":
		var m apkEntry
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		return &sbom.ApkMetadata{
			Origin: m.OriginPackage, Architecture: m.Architecture, InstalledSize: m.InstalledSize,
			Maintainer: m.Maintainer, Checksum: m.PullChecksum, Commit: m.Commit, Files: len(m.Files),
		}, nil
	case "javascript-npm-package", "NpmPackageJsonMetadata":
		var m npmPackage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		return &sbom.NpmMetadata{Author: m.Author, Homepage: m.Homepage, Private: m.Private}, nil
	case "javascript-npm-package-lock-entry", "NpmPackageLockJsonMetadata":
		var m npmLockEntry
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		return &sbom.NpmMetadata{Resolved: m.Resolved, Integrity: m.Integrity}, nil
	case "python-package", "PythonPackageMetadata":
		var m pythonPackage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		return &sbom.PythonMetadata{
			DeclaredName: m.Name, Author: m.Author, SitePackages: m.SitePackagesRootPath, Files: len(m.Files),
		}, nil
	case "rpm-db-entry", "RpmMetadata":
		var m rpmEntry
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		return &sbom.RpmMetadata{
			Epoch: m.Epoch, Release: m.Release, Architecture: m.Architecture, SourceRPM: m.SourceRpm,
			Vendor: m.Vendor, Size: m.Size, ModularityLabel: m.ModularityLabel, Files: len(m.Files),
		}, nil
	case "java-archive", "JavaMetadata":
		var m javaArchive
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		j := &sbom.JavaMetadata{VirtualPath: m.VirtualPath}
		if m.PomProperties != nil {
			j.GroupID, j.FromPom = m.PomProperties.GroupID, true
		}
		return j, nil
	case "go-module-buildinfo-entry", "GolangBinMetadata":
		var m goBuildinfo
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		return &sbom.GoModuleMetadata{
			GoVersion: m.GoCompiledVersion, MainModule: m.MainModule, Sum: m.H1Digest, GOARCH: m.Architecture,
		}, nil
	}
	return nil, nil
}

// dpkg keeps the source package and version only where they differ from the
// package's, as the model does; syft writes them always.
func dpkg(raw json.RawMessage, name, version string) (sbom.Metadata, error) {
	var m dpkgEntry
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if m.Source == name {
		m.Source = ""
	}
	if m.SourceVersion == version {
		m.SourceVersion = ""
	}
	return &sbom.DpkgMetadata{
		Source: m.Source, SourceVersion: m.SourceVersion, Architecture: m.Architecture,
		InstalledSize: m.InstalledSize, Maintainer: m.Maintainer,
		Depends: strings.Join(m.Depends, ", "), Files: len(m.Files),
	}, nil
}
