package main

import "github.com/spf13/cobra"

func newPolicyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Check, describe and convert policy bundles",
		Long: `Work with the policy bundles plimsoll evaluate reads: Anchore Engine bundles
(version 1_0 JSON, read unchanged) and plimsoll's native YAML form.

  plimsoll policy validate FILE     parse and compile a bundle; errors name the field and line
  plimsoll policy describe [GATE]   every gate, trigger and parameter (type, default, description)
  plimsoll policy convert FILE      an Anchore bundle in the native YAML form, without loss`,
	}
	cmd.AddCommand(newPolicyValidateCommand(), newPolicyDescribeCommand(), newPolicyConvertCommand())
	return cmd
}
