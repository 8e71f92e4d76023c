// Package trust holds what the trust checks share: the OCI image spec's ChainID
// of a layer stack, by which base images are recognised from their
// uncompressed layer digests (diffIDs) and never from compressed blob digests or
// annotations; the discovery of artifacts attached to an image digest as OCI
// referrers (the referrers API or the sha256-<hex> referrers tag), which cosign
// bundles and Notation signatures both use; and the Signature result both
// verifiers report. Signature verification lives in trust/cosign and
// trust/notation, the catalogue of approved base images in trust/bases.
package trust
