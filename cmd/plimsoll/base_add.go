package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/trust/bases"
)

type baseAddFlags struct {
	image        imageFlags
	catalog      string
	signers      signerFlags
	allPlatforms bool
}

func newBaseAddCommand() *cobra.Command {
	var f baseAddFlags
	cmd := &cobra.Command{
		Use:   "add IMAGE...",
		Short: "Approve base images: record their digest, diffIDs and ChainIDs in the catalogue",
		Long: `Resolve each IMAGE (for a multi-platform index, the --platform one), and record it in the
catalogue; --all-platforms approves every platform of an index. Adding a reference already listed for the platform with another digest replaces
it and keeps the old digest as superseded, as refresh does.

With --key (or the keyless flags, or --notation-trust-policy and --notation-trust-store, as
verify takes them), a base is approved only when a cosign or Notation signature on it (or
on its index) verifies with one of the keys, identities or the Notation trust policy, and
the signer (key fingerprint, "subject (issuer)", or the Notation certificate's subject) is
recorded; otherwise the command fails (exit 1) and the catalogue is left unchanged.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBaseAdd(cmd, args, &f)
		},
	}
	f.image.register(cmd)
	registerCatalog(cmd, &f.catalog)
	registerSigners(cmd, &f.signers)
	cmd.Flags().BoolVar(&f.allPlatforms, "all-platforms", false, "approve every platform of a multi-platform index (one entry each)")
	return cmd
}

// registerSigners adds --key, the keyless and the Notation flags to base add
// and refresh.
func registerSigners(cmd *cobra.Command, s *signerFlags) {
	s.register(cmd, "require a cosign signature verifying with this public key (repeatable; env PLIMSOLL_BASE_KEY)")
	envName(cmd, "key", "PLIMSOLL_BASE_KEY")
}

func runBaseAdd(cmd *cobra.Command, refs []string, f *baseAddFlags) error {
	cat, err := loadCatalog(f.catalog, true)
	if err != nil {
		return err
	}
	vs, required, err := f.signers.load()
	if err != nil {
		return err
	}
	o := f.image.options(cmd)
	if f.allPlatforms && o.Platform != "" {
		return errors.New("give --platform or --all-platforms, not both")
	}
	for _, ref := range refs {
		platforms := []string{o.Platform}
		if f.allPlatforms {
			all, err := indexPlatforms(cmd.Context(), ref, o)
			if err != nil {
				return err
			}
			if len(all) > 0 {
				platforms = all
			}
		}
		for _, p := range platforms {
			po := o
			po.Platform = p
			if err := approve(cmd.Context(), cmd.OutOrStdout(), cat, ref, po, vs, required); err != nil {
				return err
			}
		}
	}
	return cat.Save(f.catalog)
}

// approve resolves ref, verifies its signature when signers are required,
// and puts it into the catalogue, reporting the change.
func approve(ctx context.Context, w io.Writer, cat *bases.Catalog, ref string, o image.Options, vs verifiers, required bool) error {
	im, err := image.Open(ctx, ref, o)
	if err != nil {
		return err
	}
	defer im.Close()
	c := bases.FromImage(im)
	if required {
		rep, err := verifyImage(ctx, im, vs, o)
		if err != nil {
			return err
		}
		if !rep.Verified {
			return errFailed(fmt.Sprintf("%s (%s) not approved: none of its %d signatures verifies with the given keys, identities or Notation trust policy (see plimsoll verify)", ref, im.ManifestDigest, len(rep.Signatures)))
		}
		c.Signer = rep.Signers[0]
	}
	change, err := cat.Put(c, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-9s %s %s %s\n", change, c.Reference, orDash(c.Platform), c.Digest)
	return nil
}

type baseRefreshFlags struct {
	image   imageFlags
	catalog string
	signers signerFlags
}

func newBaseRefreshCommand() *cobra.Command {
	var f baseRefreshFlags
	cmd := &cobra.Command{
		Use:   "refresh [REFERENCE...]",
		Short: "Re-resolve the catalogue's tags; a moved tag keeps its old digest as superseded",
		Long: `Resolve every catalogued reference (or only those named) again for its platform. When a tag
now points to another digest, the entry takes the new digest and the old one is kept as
superseded, with when it was replaced, so images built on it are still recognised (and
the trust gate's base_outdated trigger can judge them). With --key (or the keyless or
Notation flags) the new digest must be signed by an accepted signer, or the command fails
and the catalogue is left unchanged.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBaseRefresh(cmd, args, &f)
		},
	}
	f.image.register(cmd)
	registerCatalog(cmd, &f.catalog)
	registerSigners(cmd, &f.signers)
	return cmd
}

func runBaseRefresh(cmd *cobra.Command, only []string, f *baseRefreshFlags) error {
	cat, err := loadCatalog(f.catalog, false)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, r := range only {
		want[normalizeRef(r)] = true
	}
	type target struct{ ref, platform string }
	var targets []target
	for _, b := range cat.Bases {
		if len(want) == 0 || want[b.Reference] {
			targets = append(targets, target{b.Reference, b.Platform})
		}
	}
	for r := range want {
		if !slices.ContainsFunc(cat.Bases, func(b bases.Base) bool { return b.Reference == r }) {
			return fmt.Errorf("refresh: %s is not in the catalogue %s", r, f.catalog)
		}
	}
	vs, required, err := f.signers.load()
	if err != nil {
		return err
	}
	for _, tg := range targets {
		o := f.image.options(cmd)
		o.Platform = tg.platform
		if err := approve(cmd.Context(), cmd.OutOrStdout(), cat, tg.ref, o, vs, required); err != nil {
			return err
		}
	}
	return cat.Save(f.catalog)
}
