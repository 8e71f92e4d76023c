package cvss

import (
	"fmt"
	"slices"
	"strings"
)

// metricDef is one metric of a version: its abbreviation, its legal values,
// and whether the base score requires it.
type metricDef struct {
	name      string
	values    []string
	mandatory bool
}

// parseMetrics splits "K:V/K:V/…" and validates it against defs: known
// metrics only, each at most once, with a legal value, and every mandatory
// metric present.
func parseMetrics(s string, defs []metricDef) (map[string]string, error) {
	if s == "" {
		return nil, fmt.Errorf("no metrics")
	}
	values := make(map[string]string, len(defs))
	for part := range strings.SplitSeq(s, "/") {
		name, val, ok := strings.Cut(part, ":")
		if !ok || name == "" {
			return nil, fmt.Errorf("malformed metric %q", clip(part))
		}
		i := slices.IndexFunc(defs, func(d metricDef) bool { return d.name == name })
		if i < 0 {
			return nil, fmt.Errorf("unknown metric %q", clip(name))
		}
		if _, dup := values[name]; dup {
			return nil, fmt.Errorf("duplicate metric %s", name)
		}
		if !slices.Contains(defs[i].values, val) {
			return nil, fmt.Errorf("metric %s: illegal value %q", name, clip(val))
		}
		values[name] = val
	}
	for _, d := range defs {
		if _, ok := values[d.name]; d.mandatory && !ok {
			return nil, fmt.Errorf("missing base metric %s", d.name)
		}
	}
	return values, nil
}

// joinMetrics writes the metrics present in values in the order of defs.
func joinMetrics(prefix string, defs []metricDef, values map[string]string) string {
	var b strings.Builder
	b.WriteString(prefix)
	first := true
	for _, d := range defs {
		val, ok := values[d.name]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte('/')
		}
		first = false
		b.WriteString(d.name)
		b.WriteByte(':')
		b.WriteString(val)
	}
	return b.String()
}

func base(name string, values ...string) metricDef {
	return metricDef{name: name, values: values, mandatory: true}
}

func optional(name string, values ...string) metricDef {
	return metricDef{name: name, values: values}
}
