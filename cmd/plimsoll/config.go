package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// configName is the configuration file plimsoll reads: from the working
// directory, else from $XDG_CONFIG_HOME/plimsoll/.
const configName = ".plimsoll.yaml"

// configFile finds the configuration file, or returns "" when there is none.
// PLIMSOLL_CONFIG names one explicitly.
func configFile() (string, error) {
	if p := os.Getenv("PLIMSOLL_CONFIG"); p != "" {
		return p, nil
	}
	candidates := []string{configName}
	if dir, err := os.UserConfigDir(); err == nil {
		candidates = append(candidates, filepath.Join(dir, "plimsoll", configName))
	}
	for _, p := range candidates {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("config %s: %w", p, err)
		}
	}
	return "", nil
}

// readConfig reads the configuration file, if any: its path, raw bytes and
// top-level keys.
func readConfig() (path string, raw []byte, values map[string]any, err error) {
	path, err = configFile()
	if err != nil || path == "" {
		return "", nil, nil, err
	}
	raw, err = os.ReadFile(path)
	if err != nil {
		return "", nil, nil, fmt.Errorf("config: %w", err)
	}
	if err := yaml.Unmarshal(raw, &values); err != nil {
		return "", nil, nil, fmt.Errorf("config %s: %w", path, err)
	}
	return path, raw, values, nil
}

// applyConfig sets each flag that neither the command line nor the environment
// set from the configuration file's key of the same name. Keys the command does
// not have are ignored (one file serves every command); "ignore" is read by the
// commands that use it.
func applyConfig(cmd *cobra.Command, values map[string]any, path string, fromEnv map[string]bool) error {
	var firstErr error
	visit := func(f *pflag.Flag) {
		v, ok := values[f.Name]
		if !ok || f.Changed || fromEnv[f.Name] || firstErr != nil {
			return
		}
		if err := setFlag(f, v); err != nil {
			firstErr = fmt.Errorf("config %s: %s: %w", path, f.Name, err)
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	return firstErr
}

func setFlag(f *pflag.Flag, v any) error {
	if list, ok := v.([]any); ok {
		items := make([]string, len(list))
		for i, x := range list {
			items[i] = fmt.Sprint(x)
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			return sv.Replace(items)
		}
		for _, it := range items {
			if err := f.Value.Set(it); err != nil {
				return err
			}
		}
		return nil
	}
	if _, isMap := v.(map[string]any); isMap {
		return errors.New("want a value, not a mapping")
	}
	return f.Value.Set(strings.TrimSpace(fmt.Sprint(v)))
}
