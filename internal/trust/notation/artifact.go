package notation

import (
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// maxEnvelope bounds a signature envelope blob read into memory.
const maxEnvelope = 4 << 20

// Media types of Notation signature manifests and envelopes.
const (
	ArtifactType  = "application/vnd.cncf.notary.signature"
	MediaTypeJWS  = "application/jose+json"
	MediaTypeCOSE = "application/cose"
)

// IsSignature says whether an artifact type is a Notation signature's.
func IsSignature(artifactType string) bool { return artifactType == ArtifactType }

// EnvelopeLayer returns the envelope of a Notation signature manifest that
// refers to digest: its one layer, a JWS or COSE envelope.
func EnvelopeLayer(a *trust.Artifact, digest string) (v1.Descriptor, error) {
	switch {
	case a.Subject == "":
		return v1.Descriptor{}, errors.New("the signature manifest has no subject")
	case a.Subject != digest:
		return v1.Descriptor{}, fmt.Errorf("the signature manifest's subject %s is not the image", a.Subject)
	case len(a.Layers) != 1:
		return v1.Descriptor{}, fmt.Errorf("a Notation signature manifest has one layer, this one %d", len(a.Layers))
	}
	l := a.Layers[0]
	if mt := string(l.MediaType); mt != MediaTypeJWS && mt != MediaTypeCOSE {
		return v1.Descriptor{}, fmt.Errorf("envelope media type %q is neither JWS (%s) nor COSE (%s)", mt, MediaTypeJWS, MediaTypeCOSE)
	}
	return l, nil
}
