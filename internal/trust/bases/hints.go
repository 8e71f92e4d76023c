package bases

import "fmt"

// OCI annotations an image builder may set to name the image's base.
const (
	AnnotationBaseDigest = "org.opencontainers.image.base.digest"
	AnnotationBaseName   = "org.opencontainers.image.base.name"
)

// CheckHints cross-checks the base annotations of an image's manifest against
// what its layers matched. Annotations are claims anyone can write: they never
// make a match, they only yield warnings when they disagree with the layers.
func CheckHints(m Match, annotations map[string]string) []string {
	digest, name := annotations[AnnotationBaseDigest], annotations[AnnotationBaseName]
	if digest == "" && name == "" {
		return nil
	}
	claim := name
	if digest != "" {
		claim = fmt.Sprintf("%s@%s", name, digest)
		if name == "" {
			claim = digest
		}
	}
	if !m.Found() {
		return []string{fmt.Sprintf("the image's annotations name base %s, but its layers match no approved base; the annotation is ignored", claim)}
	}
	if digest == "" {
		return nil
	}
	for _, h := range m.Hits {
		if h.Digest() == digest || h.Base.IndexDigest == digest {
			return nil
		}
	}
	return []string{fmt.Sprintf("the image's annotations name base %s, but its layers match %s@%s", claim, m.Hits[0].Base.Reference, m.Hits[0].Digest())}
}
