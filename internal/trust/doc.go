// Package trust holds what the trust checks share: the OCI image spec's ChainID
// of a layer stack, by which base images are recognised from their
// uncompressed layer digests (diffIDs) and never from compressed blob digests or
// annotations. Signature verification lives in trust/cosign and the catalogue
// of approved base images in trust/bases.
package trust
