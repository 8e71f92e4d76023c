package dotnet

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Library is one NuGet package a deps.json lists.
type Library struct {
	Name    string
	Version string
	SHA512  string
	Path    string // the package's path in the NuGet cache: "newtonsoft.json/13.0.3"
}

type rawDeps struct {
	RuntimeTarget struct {
		Name string `json:"name"`
	} `json:"runtimeTarget"`
	Libraries map[string]struct {
		Type   string `json:"type"`
		SHA512 string `json:"sha512"`
		Path   string `json:"path"`
	} `json:"libraries"`
}

// ParseDeps parses a *.deps.json and returns its NuGet packages (libraries of type
// "package"; projects and reference assemblies are the application itself),
// sorted by name and version, and the runtime target (".NETCoreApp,Version=v8.0").
func ParseDeps(b []byte) (libs []Library, target string, err error) {
	var r rawDeps
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, "", fmt.Errorf("parse deps.json: %w", err)
	}
	if r.Libraries == nil {
		return nil, "", fmt.Errorf("parse deps.json: no libraries")
	}
	for key, l := range r.Libraries {
		if l.Type != "package" {
			continue
		}
		name, version, ok := strings.Cut(key, "/")
		if !ok || name == "" || version == "" {
			return nil, "", fmt.Errorf("parse deps.json: library %q is not NAME/VERSION", key)
		}
		libs = append(libs, Library{Name: name, Version: version, SHA512: l.SHA512, Path: l.Path})
	}
	sort.Slice(libs, func(i, j int) bool {
		return libs[i].Name < libs[j].Name || libs[i].Name == libs[j].Name && libs[i].Version < libs[j].Version
	})
	return libs, r.RuntimeTarget.Name, nil
}
