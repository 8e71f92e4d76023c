package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// outputSpec is one -o FORMAT[=FILE]: a report format and where it goes (stdout when
// File is empty or "-").
type outputSpec struct {
	Format string
	File   string
}

// parseOutputs parses repeated -o values against the formats a command supports.
// With none given, it returns the default.
func parseOutputs(values []string, supported []string, def string) ([]outputSpec, error) {
	if len(values) == 0 {
		values = []string{def}
	}
	var specs []outputSpec
	stdout := 0
	for _, v := range values {
		format, file, _ := strings.Cut(v, "=")
		if !slices.Contains(supported, format) {
			return nil, fmt.Errorf("output format %q is not supported here (supported: %s)", format, strings.Join(supported, ", "))
		}
		if file == "" || file == "-" {
			stdout++
			file = ""
		}
		specs = append(specs, outputSpec{Format: format, File: file})
	}
	if stdout > 1 {
		return nil, errors.New("only one -o may write to stdout; give the others a file: -o FORMAT=FILE")
	}
	return specs, nil
}

// writeOutputs renders every spec with render, to stdout or to its file.
func writeOutputs(stdout io.Writer, specs []outputSpec, render func(w io.Writer, format string) error) error {
	for _, s := range specs {
		if s.File == "" {
			if err := render(stdout, s.Format); err != nil {
				return fmt.Errorf("write %s report: %w", s.Format, err)
			}
			continue
		}
		if err := writeFile(s.File, func(w io.Writer) error { return render(w, s.Format) }); err != nil {
			return fmt.Errorf("write %s report to %s: %w", s.Format, s.File, err)
		}
	}
	return nil
}

func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
