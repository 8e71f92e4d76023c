package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/policy"
)

func newPolicyConvertCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "convert FILE",
		Short: "Write an Anchore policy bundle in plimsoll's native YAML form",
		Long: `Convert an Anchore Engine policy bundle (version 1_0 JSON) to plimsoll's native
YAML form, without loss: every policy, rule, parameter, whitelist item, mapping
and image list is kept. Anchore's implicit default for unmapped images is written
out as default_action: GO (change it: the native form warns about GO), and each
whitelist item gets a reason saying it was converted, since Anchore records none.
A native bundle is written back normalised.

The bundle is validated and compiled first, so an invalid bundle is never
converted. Exit codes: 0 converted, 2 invalid or unreadable.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runPolicyConvert(cmd, args[0], out) },
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the native bundle to this file instead of stdout")
	return cmd
}

func runPolicyConvert(cmd *cobra.Command, file, out string) error {
	b, err := loadBundle(file)
	if err != nil {
		return err
	}
	if _, err := policy.New(policy.Gates()).Compile(b); err != nil {
		return err
	}
	y, err := policy.ToNative(b)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error { _, err := w.Write(y); return err }
	if out == "" || out == "-" {
		return write(cmd.OutOrStdout())
	}
	return writeFile(out, write)
}
