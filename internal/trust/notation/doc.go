// Package notation verifies Notation signatures (the Notary Project's format;
// Notary v1 / Docker Content Trust is retired and not supported) on images in
// a registry. Signature manifests are found among the image digest's OCI
// referrers — through the referrers API or the sha256-<hex> referrers tag, in
// both the artifactType form and the older config media type form — and their
// JWS or COSE envelopes are verified with notation-go against a trust policy
// and a trust store in Notation's own formats (trustpolicy.json and the
// x509/{ca,signingAuthority,tsa}/<name>/ directory layout).
//
// Verification is offline by default: revocation is checked only as the trust
// policy asks (skip or log by the permissive and audit levels), and when it
// must fetch OCSP answers or CRLs the injected HTTP client is used — by
// default one that refuses to reach the network, so a certificate that names
// revocation endpoints fails where the policy enforces revocation.
package notation
