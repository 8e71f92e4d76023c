package trust

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ErrBadDigest reports a diffID that is not "sha256:" and 64 lower-case hex digits.
var ErrBadDigest = errors.New("bad digest")

// ChainIDs returns the ChainID of every prefix of the layer stack diffIDs,
// lowest layer first, as the OCI image spec defines it:
//
//	ChainID(L0)      = DiffID(L0)
//	ChainID(L0..n)   = sha256(ChainID(L0..n-1) + " " + DiffID(Ln))
//
// out[i] identifies the stack of layers 0..i. It fails on a diffID that is not
// a sha256 digest, so two spellings of one digest cannot yield two ChainIDs.
func ChainIDs(diffIDs []string) ([]string, error) {
	out := make([]string, 0, len(diffIDs))
	for i, d := range diffIDs {
		if err := CheckDigest(d); err != nil {
			return nil, fmt.Errorf("chain id: layer %d: %w", i, err)
		}
		if i == 0 {
			out = append(out, d)
			continue
		}
		sum := sha256.Sum256([]byte(out[i-1] + " " + d))
		out = append(out, "sha256:"+hex.EncodeToString(sum[:]))
	}
	return out, nil
}

// ChainID returns the ChainID of the whole stack; "" for no layers.
func ChainID(diffIDs []string) (string, error) {
	ids, err := ChainIDs(diffIDs)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[len(ids)-1], nil
}

// CheckDigest reports whether d is "sha256:" followed by 64 lower-case hex digits.
func CheckDigest(d string) error {
	hexPart, ok := strings.CutPrefix(d, "sha256:")
	if !ok || len(hexPart) != sha256.Size*2 {
		return fmt.Errorf("%w %q: want sha256:<64 hex digits>", ErrBadDigest, d)
	}
	for _, c := range hexPart {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("%w %q: want lower-case hex", ErrBadDigest, d)
		}
	}
	return nil
}
