package trust

// Signature is one signature found for an image (cosign or Notation) and what
// verifying it showed.
type Signature struct {
	Kind            string `json:"kind"`
	Target          string `json:"target"` // the digest signed: the manifest's or the index's
	Tag             string `json:"tag"`
	Layer           string `json:"layer"`
	DockerReference string `json:"dockerReference,omitempty"`
	// Envelope is a Notation signature's envelope media type (JWS or COSE).
	Envelope string `json:"envelope,omitempty"`
	Verified bool   `json:"verified"`
	// Signer says who signed: a cosign key's fingerprint, a keyless
	// certificate's "subject (issuer)", a Notation certificate's subject.
	// KeySource is where the key or trust came from.
	Signer    string `json:"signer,omitempty"`
	KeySource string `json:"keySource,omitempty"`
	// Reason says why it did not verify.
	Reason string `json:"reason,omitempty"`
}

// Signers returns the signers of the signatures that verified, each once, in
// order of first appearance; none when nothing verified.
func Signers(sigs []Signature) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range sigs {
		if s.Verified && !seen[s.Signer] {
			seen[s.Signer] = true
			out = append(out, s.Signer)
		}
	}
	return out
}
