package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/plimsoll/plimsoll/internal/policy"
)

func newPolicyValidateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a policy bundle: its format, and every rule's gate, trigger and parameters",
		Long: `Parse a policy bundle (Anchore 1_0 JSON or native YAML; "default" is the built-in
policy) and compile every rule against plimsoll's gates, as evaluate would. The
first error names the file, the line and the field. Warnings (parameters
accepted but not evaluated yet, a GO default_action) are printed and do not fail.

Exit codes: 0 valid, 2 invalid or unreadable.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runPolicyValidate(cmd, args[0]) },
	}
}

func runPolicyValidate(cmd *cobra.Command, file string) error {
	b, err := loadBundle(file)
	if err != nil {
		return err
	}
	c, err := policy.New(policy.Gates()).Compile(b)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	for _, warning := range c.Warnings {
		if _, err := fmt.Fprintf(w, "warning: %s\n", warning); err != nil {
			return err
		}
	}
	rules, items := 0, 0
	for _, p := range b.Policies {
		rules += len(p.Rules)
	}
	for _, wl := range b.Whitelists {
		items += len(wl.Items)
	}
	_, err = fmt.Fprintf(w, "%s: valid: bundle %s, %d policies, %d rules, %d allowlist items, %d mappings\n",
		file, b.ID, len(b.Policies), rules, items, len(b.Mappings))
	return err
}
