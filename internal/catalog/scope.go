package catalog

import (
	"fmt"
	"strings"
)

// Scope says which of the image's files are cataloged.
type Scope string

// The scopes, named as syft and grype name them.
const (
	// Squashed catalogs the final image only: the files a container started
	// from it sees. The default.
	Squashed Scope = "squashed"
	// AllLayers also catalogs what earlier layers held and later layers deleted
	// or replaced: each layer's image, as a container started from that layer
	// would see it. Packages the final image no longer holds are marked
	// (sbom.Package.Squashed false) with the layer that removed them.
	AllLayers Scope = "all-layers"
)

// ParseScope reads a scope as users write it ("" is the default, squashed).
func ParseScope(s string) (Scope, error) {
	switch Scope(strings.ToLower(strings.TrimSpace(s))) {
	case "", Squashed:
		return Squashed, nil
	case AllLayers:
		return AllLayers, nil
	}
	return "", fmt.Errorf("unknown scope %q: use %s or %s", s, Squashed, AllLayers)
}
