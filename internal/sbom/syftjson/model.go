package syftjson

import "encoding/json"

// document is the part of syft's JSON (schema 16, and the same fields of
// earlier schemas) that the model needs.
type document struct {
	Artifacts     []artifact     `json:"artifacts"`
	Relationships []relationship `json:"artifactRelationships"`
	Files         []file         `json:"files"`
	Source        source         `json:"source"`
	Distro        distro         `json:"distro"`
	Descriptor    struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"descriptor"`
	Schema struct {
		Version string `json:"version"`
	} `json:"schema"`
}

type artifact struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Version      string          `json:"version"`
	Type         string          `json:"type"`
	FoundBy      string          `json:"foundBy"`
	Locations    []location      `json:"locations"`
	Licenses     json.RawMessage `json:"licenses"` // objects (schema ≥ 8) or strings
	PURL         string          `json:"purl"`
	MetadataType string          `json:"metadataType"`
	Metadata     json.RawMessage `json:"metadata"`
}

type location struct {
	Path    string `json:"path"`
	LayerID string `json:"layerID"`
}

type license struct {
	Value          string `json:"value"`
	SPDXExpression string `json:"spdxExpression"`
}

type relationship struct {
	Parent string `json:"parent"`
	Child  string `json:"child"`
	Type   string `json:"type"`
}

type file struct {
	ID       string   `json:"id"`
	Location location `json:"location"`
	Digests  []struct {
		Algorithm string `json:"algorithm"`
		Value     string `json:"value"`
	} `json:"digests"`
}

type source struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Version  string          `json:"version"`
	Type     string          `json:"type"`
	Metadata json.RawMessage `json:"metadata"`
	Target   json.RawMessage `json:"target"` // schemas before 9
}

// imageMetadata is the metadata of an "image" source.
type imageMetadata struct {
	UserInput      string   `json:"userInput"`
	ImageID        string   `json:"imageID"`
	ManifestDigest string   `json:"manifestDigest"`
	Tags           []string `json:"tags"`
	RepoDigests    []string `json:"repoDigests"`
	Architecture   string   `json:"architecture"`
	Variant        string   `json:"architectureVariant"`
	OS             string   `json:"os"`
	Layers         []struct {
		MediaType string `json:"mediaType"`
		Digest    string `json:"digest"` // the diffID
		Size      int64  `json:"size"`
	} `json:"layers"`
}

type distro struct {
	PrettyName      string          `json:"prettyName"`
	ID              string          `json:"id"`
	IDLike          json.RawMessage `json:"idLike"` // a list, or a string in old schemas
	VersionID       string          `json:"versionID"`
	VersionCodename string          `json:"versionCodename"`
}

// The ecosystem metadata syft writes that the model keeps.
type dpkgEntry struct {
	Source        string   `json:"source"`
	SourceVersion string   `json:"sourceVersion"`
	Architecture  string   `json:"architecture"`
	Maintainer    string   `json:"maintainer"`
	InstalledSize int64    `json:"installedSize"`
	Depends       []string `json:"depends"`
	Files         []any    `json:"files"`
}

type apkEntry struct {
	OriginPackage string `json:"originPackage"`
	Architecture  string `json:"architecture"`
	Maintainer    string `json:"maintainer"`
	InstalledSize int64  `json:"installedSize"`
	PullChecksum  string `json:"pullChecksum"`
	Commit        string `json:"gitCommitOfApkPort"`
	Files         []any  `json:"files"`
}

type npmPackage struct {
	Author   string `json:"author"`
	Homepage string `json:"homepage"`
	Private  bool   `json:"private"`
}

type npmLockEntry struct {
	Resolved  string `json:"resolved"`
	Integrity string `json:"integrity"`
}

type pythonPackage struct {
	Name                 string `json:"name"`
	Author               string `json:"author"`
	SitePackagesRootPath string `json:"sitePackagesRootPath"`
	Files                []any  `json:"files"`
}

type goBuildinfo struct {
	GoCompiledVersion string `json:"goCompiledVersion"`
	Architecture      string `json:"architecture"`
	H1Digest          string `json:"h1Digest"`
	MainModule        string `json:"mainModule"`
}

type rpmEntry struct {
	Epoch           *int   `json:"epoch"`
	Release         string `json:"release"`
	Architecture    string `json:"architecture"`
	SourceRpm       string `json:"sourceRpm"`
	Vendor          string `json:"vendor"`
	Size            int64  `json:"size"`
	ModularityLabel string `json:"modularityLabel"`
	Files           []any  `json:"files"`
}

type javaArchive struct {
	VirtualPath   string `json:"virtualPath"`
	PomProperties *struct {
		GroupID string `json:"groupId"`
	} `json:"pomProperties"`
}
