package image

import (
	"fmt"
	"runtime"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// wantPlatform parses the requested platform, defaulting to linux on the host's
// architecture (images are Linux images even when plimsoll runs elsewhere).
func wantPlatform(s string) (v1.Platform, bool, error) {
	if s == "" {
		return v1.Platform{OS: "linux", Architecture: runtime.GOARCH}, false, nil
	}
	p, err := v1.ParsePlatform(s)
	if err != nil {
		return v1.Platform{}, true, fmt.Errorf("platform %q: %w", s, err)
	}
	if p.OS == "" || p.Architecture == "" {
		return v1.Platform{}, true, fmt.Errorf("platform %q: want os/arch[/variant]", s)
	}
	return *p, true, nil
}

// selectPlatform picks the manifest for the wanted platform from an index. A
// missing variant matches any; arm64's default variant v8 matches an empty one.
func selectPlatform(idx *v1.IndexManifest, platform string) (v1.Descriptor, error) {
	want, explicit, err := wantPlatform(platform)
	if err != nil {
		return v1.Descriptor{}, err
	}
	var available []string
	for _, d := range idx.Manifests {
		if d.Platform == nil || d.Platform.OS == "unknown" {
			continue // attestation manifests and the like
		}
		available = append(available, platformString(d.Platform))
		if d.Platform.OS == want.OS && d.Platform.Architecture == want.Architecture && variantMatches(want, *d.Platform) {
			return d, nil
		}
	}
	if len(available) == 0 {
		return v1.Descriptor{}, fmt.Errorf("the index lists no platform-specific image")
	}
	how := "the host's platform " + platformString(&want) + " is not in the index"
	if explicit {
		how = "platform " + platformString(&want) + " is not in the index"
	}
	return v1.Descriptor{}, fmt.Errorf("%s; pick one with --platform: %s", how, strings.Join(available, ", "))
}

func variantMatches(want, got v1.Platform) bool {
	if want.Variant == "" || want.Variant == got.Variant {
		return true
	}
	return want.Architecture == "arm64" && want.Variant == "v8" && got.Variant == ""
}

func platformString(p *v1.Platform) string {
	if p == nil {
		return ""
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}
