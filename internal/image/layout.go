package image

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// refNameAnnotation tags a manifest in an OCI layout's index.json.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// blobStore reads the files of an OCI layout, wherever they are kept (a directory,
// or a tar archive read in place).
type blobStore interface {
	Open(name string) (io.ReadCloser, error)
	Close() error
}

// LayoutFiles are the files of an OCI layout, wherever they are kept: a
// directory, or a tar archive read in place.
type LayoutFiles = blobStore

// OpenLayoutFiles opens the files of the OCI layout that spec (PATH[:TAG])
// names, the way images are read: a directory when archive is false, else an
// uncompressed tar of one, indexed in place. It returns the path and tag it
// split spec into. Signature verification uses it to search a layout for
// signatures beside the image.
func OpenLayoutFiles(spec string, archive bool) (files LayoutFiles, p, tag string, err error) {
	p, tag = splitPathTag(spec)
	if archive {
		s, err := openTarStore(p)
		if err != nil {
			return nil, p, tag, err
		}
		return s, p, tag, nil
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, p, tag, err
	}
	if !st.IsDir() {
		return nil, p, tag, fmt.Errorf("%s is not a directory (an OCI archive is oci-archive:%s)", p, p)
	}
	root, err := os.OpenRoot(p)
	if err != nil {
		return nil, p, tag, err
	}
	return rootStore{root}, p, tag, nil
}

// openOCIDir opens an OCI image layout directory: PATH[:TAG].
func openOCIDir(spec string, o Options) (*Image, error) {
	files, _, tag, err := OpenLayoutFiles(spec, false)
	if err != nil {
		return nil, fmt.Errorf("open OCI layout: %w", err)
	}
	return openLayout(files, tag, o)
}

// rootStore serves a layout directory through os.Root, so a hostile layout's
// symlinks cannot reach files outside it.
type rootStore struct{ r *os.Root }

func (s rootStore) Open(name string) (io.ReadCloser, error) { return s.r.Open(name) }
func (s rootStore) Close() error                            { return s.r.Close() }

// splitPathTag splits "PATH:TAG". A path that itself exists as given wins, so paths
// containing ':' still work.
func splitPathTag(spec string) (p, tag string) {
	if _, err := os.Stat(spec); err == nil {
		return spec, ""
	}
	i := strings.LastIndexByte(spec, ':')
	if i < 0 || strings.Contains(spec[i+1:], "/") {
		return spec, ""
	}
	return spec[:i], spec[i+1:]
}

// openLayout resolves an image in an OCI layout: the manifest tagged tag (or the
// only one), and through a nested index, the wanted platform.
func openLayout(store blobStore, tag string, o Options) (im *Image, err error) {
	defer func() {
		if err != nil {
			store.Close()
		}
	}()
	if err := checkLayoutMarker(store); err != nil {
		return nil, err
	}
	raw, err := readJSONBlob("index.json", func() (io.ReadCloser, error) { return store.Open("index.json") })
	if err != nil {
		return nil, err
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse index.json: %w", err)
	}
	desc, err := pickTagged(idx, tag)
	if err != nil {
		return nil, err
	}
	open := func(d v1.Descriptor) (io.ReadCloser, error) { return openLayoutBlob(store, d) }
	var indexDigest string
	for depth := 0; desc.MediaType.IsIndex(); depth++ {
		if depth > 4 {
			return nil, errors.New("indexes nested more than 4 deep")
		}
		indexDigest = desc.Digest.String()
		rawIdx, err := readJSONBlob("index "+desc.Digest.String(), func() (io.ReadCloser, error) { return open(desc) })
		if err != nil {
			return nil, err
		}
		if got := digestOf(rawIdx); got != desc.Digest.String() {
			return nil, fmt.Errorf("index blob has digest %s, not the %s that names it", got, desc.Digest)
		}
		inner, err := v1.ParseIndexManifest(bytes.NewReader(rawIdx))
		if err != nil {
			return nil, fmt.Errorf("parse index %s: %w", desc.Digest, err)
		}
		if desc, err = selectPlatform(inner, o.Platform); err != nil {
			return nil, err
		}
	}
	if !desc.MediaType.IsImage() && desc.MediaType != "" {
		return nil, fmt.Errorf("%s is a %s, not an image", desc.Digest, desc.MediaType)
	}
	rawManifest, err := readJSONBlob("manifest "+desc.Digest.String(), func() (io.ReadCloser, error) { return open(desc) })
	if err != nil {
		return nil, err
	}
	if got := digestOf(rawManifest); got != desc.Digest.String() {
		return nil, fmt.Errorf("manifest blob has digest %s, not the %s index.json names", got, desc.Digest)
	}
	im, err = fromManifest(rawManifest, open)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", desc.Digest, err)
	}
	im.IndexDigest = indexDigest
	if tag != "" {
		im.Tags = []string{tag}
	} else if t := desc.Annotations[refNameAnnotation]; t != "" {
		im.Tags = []string{t}
	}
	im.close = store.Close
	return im, nil
}

func checkLayoutMarker(store blobStore) error {
	b, err := readJSONBlob("oci-layout", func() (io.ReadCloser, error) { return store.Open("oci-layout") })
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return errors.New("not an OCI image layout: no oci-layout file")
		}
		return err
	}
	if !bytes.Contains(b, []byte("imageLayoutVersion")) {
		return errors.New("not an OCI image layout: oci-layout has no imageLayoutVersion")
	}
	return nil
}

// pickTagged returns the index entry with the given tag, or the only entry when no
// tag is given. With several and no tag, the error lists the tags to choose from.
func pickTagged(idx *v1.IndexManifest, tag string) (v1.Descriptor, error) {
	if len(idx.Manifests) == 0 {
		return v1.Descriptor{}, errors.New("index.json lists no images")
	}
	var tags []string
	for _, d := range idx.Manifests {
		name := d.Annotations[refNameAnnotation]
		if tag != "" && (name == tag || strings.HasSuffix(name, ":"+tag)) {
			return d, nil
		}
		if name == "" {
			name = d.Digest.String()
		}
		tags = append(tags, name)
	}
	sort.Strings(tags)
	if tag != "" {
		return v1.Descriptor{}, fmt.Errorf("no image tagged %q; the layout holds: %s", tag, strings.Join(tags, ", "))
	}
	var images []v1.Descriptor
	for _, d := range idx.Manifests {
		if !isSignatureEntry(d) {
			images = append(images, d)
		}
	}
	switch len(images) {
	case 0:
		return v1.Descriptor{}, fmt.Errorf("the layout holds only signatures and attachments, no image: %s", strings.Join(tags, ", "))
	case 1:
	default:
		return v1.Descriptor{}, fmt.Errorf("the layout holds %d images; name one as PATH:TAG: %s", len(images), strings.Join(tags, ", "))
	}
	return images[0], nil
}

// sigTag is the tag cosign and the OCI referrers fallback give what they attach
// to an image: sha256-<hex>, with .sig, .att or .sbom for cosign.
var sigTag = regexp.MustCompile(`(^|[:/])sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$`)

// isSignatureEntry reports whether an index entry holds what is attached to an
// image rather than an image: cosign save's signature and attestation entries
// (annotation kind dev.cosignproject.cosign/sigs or /atts), an artifact (an
// artifactType other than an image config's: go-containerregistry's layout
// writer gives images their config media type), or an entry tagged as cosign
// and the referrers fallback tag attachments. A layout holding one image and
// its signatures opens without naming the image.
func isSignatureEntry(d v1.Descriptor) bool {
	kind := d.Annotations["kind"]
	artifact := d.ArtifactType != "" && d.ArtifactType != string(types.OCIConfigJSON) && d.ArtifactType != string(types.DockerConfigJSON)
	return strings.HasSuffix(kind, "/sigs") || strings.HasSuffix(kind, "/atts") ||
		artifact || sigTag.MatchString(d.Annotations[refNameAnnotation])
}

// openLayoutBlob opens blobs/<alg>/<hex>, refusing digests that are not plain names.
func openLayoutBlob(store blobStore, d v1.Descriptor) (io.ReadCloser, error) {
	alg, hex := d.Digest.Algorithm, d.Digest.Hex
	if alg == "" || hex == "" || strings.ContainsAny(alg+hex, "/\\.") {
		return nil, fmt.Errorf("bad digest %q", d.Digest)
	}
	rc, err := store.Open(path.Join("blobs", alg, hex))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("blob %s is missing from the layout", d.Digest)
		}
		return nil, fmt.Errorf("blob %s: %w", d.Digest, err)
	}
	return rc, nil
}
