package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// The OCI image-spec annotations a builder sets on an image's manifest to
// name the base image it was built from.
const (
	annotationBaseName   = "org.opencontainers.image.base.name"
	annotationBaseDigest = "org.opencontainers.image.base.digest"
)

// baseFromAnnotations finds the base from the image's OCI base-image
// annotations, for when neither --base nor --base-layers is given: the image
// base.name names (pinned to base.digest when given) is opened like --base
// (its manifest and config only) and must be a diffID prefix of the image. It
// returns the number of base layers and the hint that says where it came from,
// or -1 and a warning saying why there is no base. Annotations are the
// builder's claim: the result is a hint, never a verification.
func baseFromAnnotations(cmd *cobra.Command, ann map[string]string, f *imageFlags, layers []gate.Layer) (n int, hint, warning string) {
	name, digest := ann[annotationBaseName], ann[annotationBaseDigest]
	if name == "" {
		if digest != "" {
			return -1, "", fmt.Sprintf("the image's %s is %s but no %s names where to read it: give --base IMAGE or --base-layers N", annotationBaseDigest, digest, annotationBaseName)
		}
		return -1, "", ""
	}
	ref := baseAnnotationRef(name, digest)
	n, err := baseLayers(cmd, ref, f, layers)
	if err != nil {
		return -1, "", fmt.Sprintf("the image's %s annotation names %s, which was not used as the base: %v", annotationBaseName, ref, err)
	}
	hint = fmt.Sprintf("%d base layers from the image's OCI annotations (%s=%s", n, annotationBaseName, name)
	if digest != "" {
		hint += ", " + annotationBaseDigest + "=" + digest
	}
	return n, hint + "): a hint, matched by diffID prefix but not verified; give --base IMAGE to decide", ""
}

// baseAnnotationRef is the reference to open for the annotated base: the name,
// pinned to the digest when one is given (any tag is dropped then, so the
// digest alone decides).
func baseAnnotationRef(name, digest string) string {
	if digest == "" {
		return name
	}
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	if slash, colon := strings.LastIndexByte(name, '/'), strings.LastIndexByte(name, ':'); colon > slash {
		name = name[:colon]
	}
	return name + "@" + digest
}
