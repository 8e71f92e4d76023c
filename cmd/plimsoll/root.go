package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func newRootCommand() *cobra.Command {
	var verbose bool
	root := &cobra.Command{
		Use:           "plimsoll",
		Short:         "Inspect container images, catalog packages, find vulnerabilities, enforce policy",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			fromEnv, err := applyEnv(cmd)
			if err != nil {
				return err
			}
			path, _, values, err := readConfig()
			if err != nil {
				return err
			}
			if err := applyConfig(cmd, values, path, fromEnv); err != nil {
				return err
			}
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelDebug
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level})))
			return nil
		},
	}
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log debug detail to stderr")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return fmt.Errorf("%w (see --help)", err)
	})
	for _, c := range subcommands() {
		root.AddCommand(c)
	}
	return root
}

// subcommands lists every subcommand, in one place.
func subcommands() []*cobra.Command {
	return []*cobra.Command{
		newInspectCommand(),
		newSBOMCommand(),
		newDBCommand(),
		newScanCommand(),
		newEvaluateCommand(),
		newVerifyCommand(),
		newBaseCommand(),
		newPolicyCommand(),
	}
}

// envAnnotation names the environment variable a flag falls back to, when it is
// not PLIMSOLL_<FLAG>.
const envAnnotation = "plimsoll-env"

func envName(cmd *cobra.Command, flag, env string) {
	_ = cmd.Flags().SetAnnotation(flag, envAnnotation, []string{env})
}

// applyEnv sets each flag the user did not give from PLIMSOLL_<FLAG> in the
// environment (dashes become underscores), so flags win over the environment. It
// returns the names of the flags it set.
func applyEnv(cmd *cobra.Command) (map[string]bool, error) {
	var firstErr error
	fromEnv := map[string]bool{}
	set := func(f *pflag.Flag) {
		if f.Changed || firstErr != nil {
			return
		}
		key := "PLIMSOLL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if names := f.Annotations[envAnnotation]; len(names) > 0 {
			key = names[0]
		}
		v, ok := os.LookupEnv(key)
		if !ok {
			return
		}
		fromEnv[f.Name] = true
		if sv, isSlice := f.Value.(pflag.SliceValue); isSlice {
			if err := sv.Replace(strings.Split(v, ",")); err != nil {
				firstErr = fmt.Errorf("environment %s: %w", key, err)
			}
			return
		}
		if err := f.Value.Set(v); err != nil {
			firstErr = fmt.Errorf("environment %s: %w", key, err)
		}
	}
	cmd.Flags().VisitAll(set)
	cmd.InheritedFlags().VisitAll(set)
	return fromEnv, firstErr
}
