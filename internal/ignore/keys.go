package ignore

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The keys a rule and its package selector may have; any other key is an
// error, since a misspelt selector would otherwise be dropped and the rule
// would silence more than was meant.
var (
	ruleKeys    = []string{"id", "package", "path", "fix-state", "reason", "expires"}
	packageKeys = []string{"name", "version", "purl", "type"}
)

// checkRuleKeys refuses keys of the rule mapping n, or of its package mapping,
// that are not known; the error names source:line and the key.
func checkRuleKeys(n *yaml.Node, source, what string) error {
	if err := checkKeys(n, source, ruleKeys, what); err != nil {
		return err
	}
	n = unalias(n)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "package" {
			return checkKeys(n.Content[i+1], source, packageKeys, what+" package")
		}
	}
	return nil
}

// checkKeys refuses a key of mapping n that is not in known.
func checkKeys(n *yaml.Node, source string, known []string, what string) error {
	n = unalias(n)
	if n.Kind != yaml.MappingNode {
		return nil // Decode reports the wrong shape
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(known, k.Value) {
			return fmt.Errorf("%s:%d: %s: unknown key %q (want %s)", source, k.Line, what, k.Value, strings.Join(known, ", "))
		}
	}
	return nil
}

// unalias follows YAML aliases (*name) to the node they stand for.
func unalias(n *yaml.Node) *yaml.Node {
	for depth := 0; n.Kind == yaml.AliasNode && n.Alias != nil && depth < 8; depth++ {
		n = n.Alias
	}
	return n
}
