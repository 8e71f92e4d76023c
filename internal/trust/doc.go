// Package trust holds what the trust checks share: the OCI image spec's ChainID
// of a layer stack, by which base images are recognised from their
// uncompressed layer digests (diffIDs) and never from compressed blob digests or
// annotations; the discovery of signatures, which cosign and Notation both use,
// behind one small interface, Store: in a registry (Registry: tags, and OCI
// referrers through the referrers API or the sha256-<hex> referrers tag) or,
// offline, in an OCI layout holding the image with its signatures (Layout:
// ref.name tags, cosign save's kind annotations, manifests whose subject is the
// image); and the Signature result both
// verifiers report. Signature verification lives in trust/cosign and
// trust/notation, the catalogue of approved base images in trust/bases.
package trust
