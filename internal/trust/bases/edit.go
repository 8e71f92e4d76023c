package bases

import (
	"fmt"
	"slices"
	"time"

	"github.com/plimsoll/plimsoll/internal/trust"
)

// Candidate is what resolving a reference for one platform yields: the facts a
// Base records.
type Candidate struct {
	Reference   string
	Repository  string
	Tag         string
	Platform    string
	Digest      string
	IndexDigest string
	Signer      string
	DiffIDs     []string
}

// Change says what Put did.
type Change string

// Changes Put reports.
const (
	Added     Change = "added"
	Unchanged Change = "unchanged"
	Updated   Change = "updated" // the reference now resolves to another digest
)

// Put records c as approved at time now. A new reference and platform is
// added; one already listed with the same digest is left as it is (its signer
// refreshed when c has one); one listed with another digest takes c's digest,
// and the old digest moves to Superseded with now as when it was replaced.
func (cat *Catalog) Put(c Candidate, now time.Time) (Change, error) {
	chain, err := trust.ChainIDs(c.DiffIDs)
	if err != nil {
		return "", fmt.Errorf("approve %s: %w", c.Reference, err)
	}
	if len(chain) == 0 {
		return "", fmt.Errorf("approve %s: the image has no layers", c.Reference)
	}
	if err := trust.CheckDigest(c.Digest); err != nil {
		return "", fmt.Errorf("approve %s: %w", c.Reference, err)
	}
	nb := Base{
		Reference: c.Reference, Repository: c.Repository, Tag: c.Tag, Platform: c.Platform,
		Digest: c.Digest, IndexDigest: c.IndexDigest, Signer: c.Signer, Added: now.UTC(),
		DiffIDs: slices.Clone(c.DiffIDs), ChainIDs: chain,
	}
	i := cat.find(nb.key())
	if i < 0 {
		cat.Bases = append(cat.Bases, nb)
		cat.sort()
		return Added, nil
	}
	old := &cat.Bases[i]
	if old.Digest == c.Digest {
		if c.Signer != "" {
			old.Signer = c.Signer
		}
		old.IndexDigest = c.IndexDigest
		return Unchanged, nil
	}
	nb.Superseded = append(old.Superseded, Superseded{
		Digest: old.Digest, Signer: old.Signer, Added: old.Added, Replaced: now.UTC(),
		DiffIDs: old.DiffIDs, ChainIDs: old.ChainIDs,
	})
	// A digest coming back after it was superseded is current again, not both.
	nb.Superseded = slices.DeleteFunc(nb.Superseded, func(s Superseded) bool { return s.Digest == nb.Digest })
	*old = nb
	return Updated, nil
}

// Remove deletes the bases whose reference is ref, on every platform when
// platform is empty, and returns how many it removed.
func (cat *Catalog) Remove(ref, platform string) int {
	n := len(cat.Bases)
	cat.Bases = slices.DeleteFunc(cat.Bases, func(b Base) bool {
		return b.Reference == ref && (platform == "" || b.Platform == platform)
	})
	return n - len(cat.Bases)
}

func (cat *Catalog) find(key string) int {
	return slices.IndexFunc(cat.Bases, func(b Base) bool { return b.key() == key })
}
