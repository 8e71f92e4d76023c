package cosigntest

import (
	"bytes"
	"crypto"
	"encoding/json"
	"io"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/plimsoll/plimsoll/internal/trust/cosign"
)

// SignatureImage returns a .sig manifest holding layers, as cosign writes
// one: an OCI manifest of simple-signing layers with their annotations.
func SignatureImage(t testing.TB, layers []Layer) v1.Image {
	t.Helper()
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	for _, l := range layers {
		ann := map[string]string{cosign.SignatureAnnotation: l.Signature}
		for k, v := range l.Annotations {
			ann[k] = v
		}
		var err error
		img, err = mutate.Append(img, mutate.Addendum{
			Layer:       static.NewLayer(l.Payload, types.MediaType(cosign.SimpleSigningMediaType)),
			Annotations: ann,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// LayoutSign signs digest (named dockerRef in the payload) with k and adds
// the .sig manifest to the OCI layout at dir with annotations, as a copy of
// the image with its signatures writes it: tagged
// org.opencontainers.image.ref.name=sha256-<hex>.sig by oras and skopeo,
// kind=dev.cosignproject.cosign/sigs by cosign save.
func LayoutSign(t testing.TB, dir, dockerRef, digest string, k crypto.Signer, annotations map[string]string) {
	t.Helper()
	p := Payload(t, dockerRef, digest)
	img := SignatureImage(t, []Layer{{Payload: p, Signature: SignBytes(t, k, p)}})
	lp, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img, layout.WithAnnotations(annotations)); err != nil {
		t.Fatal(err)
	}
}

// LayoutReferrer adds to the OCI layout at dir an artifact of artifactType
// whose subject is digest, with one layer of layerType holding content, as
// oras cp -r copies a referrer: listed in index.json by its manifest digest.
// It returns the artifact manifest's digest.
func LayoutReferrer(t testing.TB, dir, digest, artifactType, layerType string, content []byte) string {
	t.Helper()
	lp, err := layout.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := static.NewLayer([]byte("{}"), "application/vnd.oci.empty.v1+json")
	layer := static.NewLayer(content, types.MediaType(layerType))
	desc := func(l v1.Layer) map[string]any {
		d, _ := l.Digest()
		sz, _ := l.Size()
		mt, _ := l.MediaType()
		return map[string]any{"mediaType": mt, "digest": d.String(), "size": sz}
	}
	for _, l := range []v1.Layer{cfg, layer} {
		h, _ := l.Digest()
		rc, err := l.Compressed()
		if err != nil {
			t.Fatal(err)
		}
		if err := lp.WriteBlob(h, rc); err != nil {
			t.Fatal(err)
		}
	}
	m, err := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": types.OCIManifestSchema1, "artifactType": artifactType,
		"config": desc(cfg), "layers": []any{desc(layer)},
		"subject": map[string]any{"mediaType": types.OCIManifestSchema1, "digest": digest, "size": 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	h, size, err := v1.SHA256(bytesReader(m))
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.WriteBlob(h, readCloser(m)); err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendDescriptor(v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: h, Size: size, ArtifactType: artifactType}); err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
func readCloser(b []byte) io.ReadCloser  { return io.NopCloser(bytes.NewReader(b)) }
