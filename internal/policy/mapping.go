package policy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// ParseTag fills an identity's registry, repository and tag from a full image
// reference ("registry/repo:tag", "nginx", "dockerhub/library/nginx:1"). Docker
// Hub is always named docker.io, as Anchore named it.
func ParseTag(ref string, id *gate.Identity) error {
	ref = normaliseDockerHub(ref)
	r, err := name.ParseReference(ref)
	if err != nil {
		return fmt.Errorf("parse image reference %q: %w", ref, err)
	}
	id.Registry = canonicalRegistry(r.Context().RegistryStr())
	id.Repository = r.Context().RepositoryStr()
	switch v := r.(type) {
	case name.Tag:
		id.Tag = v.TagStr()
	case name.Digest:
		id.Digest = v.DigestStr()
	}
	return nil
}

func normaliseDockerHub(s string) string {
	if rest, ok := strings.CutPrefix(s, "dockerhub/"); ok {
		return "docker.io/" + rest
	}
	return s
}

func canonicalRegistry(r string) string {
	switch r {
	case name.DefaultRegistry, "registry-1.docker.io", "dockerhub":
		return "docker.io"
	}
	return r
}

// pattern matches a value against a selector field: "*" globs (a star matches
// any run of characters, slashes included), or a regular expression after
// "regexp:", which must match the whole value.
func pattern(p, v string) bool {
	if re, ok := strings.CutPrefix(p, "regexp:"); ok {
		r, err := regexp.Compile("^(?:" + re + ")$")
		return err == nil && r.MatchString(v)
	}
	return glob(p, v)
}

// glob matches v against p where `*` matches any run of characters.
func glob(p, v string) bool {
	parts := strings.Split(p, "*")
	if len(parts) == 1 {
		return p == v
	}
	if !strings.HasPrefix(v, parts[0]) {
		return false
	}
	v = v[len(parts[0]):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(v, mid)
		if i < 0 {
			return false
		}
		v = v[i+len(mid):]
	}
	return strings.HasSuffix(v, parts[len(parts)-1])
}

// selects reports whether a selector (of a mapping or an image list) matches
// the image.
func selects(registry, repository string, im ImageMatch, id *gate.Identity) bool {
	registry = canonicalRegistry(registry)
	if !pattern(registry, id.Registry) {
		return false
	}
	repoOK := pattern(repository, id.Repository)
	if !repoOK && id.Registry == "docker.io" {
		if short, ok := strings.CutPrefix(id.Repository, "library/"); ok {
			repoOK = pattern(repository, short)
		}
	}
	if !repoOK {
		return false
	}
	switch im.Type {
	case "tag":
		return pattern(im.Value, id.Tag)
	case "digest":
		return id.Digest != "" && sameDigest(im.Value, id.Digest)
	case "id":
		return id.ID != "" && sameDigest(im.Value, id.ID)
	}
	return false
}

func sameDigest(a, b string) bool {
	trim := func(s string) string { return strings.TrimPrefix(s, "sha256:") }
	return trim(a) == trim(b)
}

// selectMapping returns the first mapping that matches the image, or nil.
func (b *Bundle) selectMapping(id *gate.Identity) *Mapping {
	for i := range b.Mappings {
		m := &b.Mappings[i]
		if selects(m.Registry, m.Repository, m.Image, id) {
			return m
		}
	}
	return nil
}

// selectImage returns the first selector of a list that matches the image.
func selectImage(list []ImageSelector, id *gate.Identity) *ImageSelector {
	for i := range list {
		s := &list[i]
		if selects(s.Registry, s.Repository, s.Image, id) {
			return s
		}
	}
	return nil
}

func eqFold(a, b string) bool { return strings.EqualFold(a, b) }
