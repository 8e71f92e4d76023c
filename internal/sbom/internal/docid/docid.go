// Package docid derives what the interchange formats want to be unique from
// the content of a document, so the same inventory always gets the same serial
// number or namespace and encoded documents diff cleanly: no random UUIDs.
package docid

import (
	"crypto/sha1" //nolint:gosec // RFC 9562 name-based UUIDs (version 5) are defined on SHA-1
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// namespace is the name-space UUID of plimsoll's version-5 UUIDs (itself a
// random UUID, fixed forever).
var namespace = [16]byte{0x6f, 0x1c, 0x3a, 0x52, 0x9b, 0x0e, 0x4c, 0x2d, 0x8a, 0x71, 0x45, 0xd3, 0x0b, 0x96, 0xe2, 0x18}

// Hash returns the hex SHA-256 of v's JSON encoding: the writers hash their
// document with the serial number, namespace and timestamps left empty, so
// the identifier is a function of what the document says.
func Hash(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// UUID returns the version-5 UUID of name in plimsoll's name space, as
// xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx.
func UUID(name string) string {
	h := sha1.New() //nolint:gosec // see the import
	h.Write(namespace[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// Image is an image reference split into its parts.
type Image struct {
	Repository string // everything before the tag or digest: "docker.io/library/debian"
	Name       string // the repository's last path element: "debian"
	Tag        string
	Digest     string
}

// schemes are the source prefixes a reference may carry.
var schemes = []string{"registry:", "docker-archive:", "oci-archive:", "oci-dir:", "oci:", "dir:", "sbom:"}

// ParseImage splits a reference as the user gave it ("registry:debian:12",
// "ghcr.io/o/app@sha256:…", "oci-dir:./layout") without validating it.
func ParseImage(ref string) Image {
	for _, s := range schemes {
		if r, ok := strings.CutPrefix(ref, s); ok {
			ref = r
			break
		}
	}
	var im Image
	ref, im.Digest, _ = strings.Cut(ref, "@")
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref, im.Tag = ref[:i], ref[i+1:]
	}
	im.Repository = ref
	im.Name = ref[strings.LastIndexByte(ref, '/')+1:]
	return im
}
