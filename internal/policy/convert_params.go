package policy

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// listTypes names the "gate/trigger/param" of the list parameters of the
// gates Gates lists.
func listTypes() map[string]bool {
	out := map[string]bool{}
	for _, g := range Gates() {
		for _, t := range g.Triggers() {
			for _, p := range t.Params() {
				if p.Type == gate.List {
					out[g.Name()+"/"+t.Name()+"/"+p.Name] = true
				}
			}
		}
	}
	return out
}

// paramNode writes one parameter value so that the native reader, which keeps
// each scalar's text as written, gives back the same string: a list parameter
// whose items are non-empty and unpadded as a YAML sequence ([22, 2222]),
// anything else as one scalar that the encoder quotes only where YAML needs it.
func paramNode(isList bool, v string) *yaml.Node {
	if isList {
		items := strings.Split(v, ",")
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, it := range items {
			if it == "" || strings.TrimSpace(it) != it {
				seq = nil
				break
			}
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: it})
		}
		if seq != nil {
			return seq
		}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: v}
}
