package report

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/template"
)

// maxTemplate bounds a user's template file.
const maxTemplate = 1 << 20

// ParseTemplate reads a Go text/template from path. The template receives the
// scan report (the same fields as the JSON report) and can use the functions
// join, upper, lower and json-free formatting with printf.
func ParseTemplate(path string) (*template.Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	if len(b) > maxTemplate {
		return nil, fmt.Errorf("template %s: larger than %d bytes", path, maxTemplate)
	}
	t, err := template.New(path).Funcs(template.FuncMap{
		"join": strings.Join, "upper": strings.ToUpper, "lower": strings.ToLower,
	}).Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", path, err)
	}
	return t, nil
}

// WriteTemplate renders the report through t.
func WriteTemplate(w io.Writer, rep *Scan, t *template.Template) error {
	if err := t.Execute(w, rep); err != nil {
		return fmt.Errorf("template %s: %w", t.Name(), err)
	}
	return nil
}
