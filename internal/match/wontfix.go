package match

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

// wontFixMarks are the statuses by which distributions say they will not fix a
// vulnerability in a release: Debian's security tracker (no-dsa, with reason
// ignored or postponed), Ubuntu's (ignored, deferred), Red Hat's (Will not fix,
// Fix deferred, Out of support scope).
var wontFixMarks = []string{"ignored", "postponed", "deferred", "will not fix", "won't fix", "wont-fix", "wontfix", "fix deferred", "out of support scope", "end-of-life"}

// vendorWontFix reports whether a distribution's affected entry carries its
// won't-fix status in ecosystem_specific or database_specific: a no-dsa key,
// or a status-like value above.
func vendorWontFix(a *vulndb.Affected) bool {
	return marked(a.EcosystemSpecific) || marked(a.DatabaseSpecific)
}

func marked(raw json.RawMessage) bool {
	var m map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return false
	}
	for k, v := range m {
		switch strings.ToLower(strings.ReplaceAll(k, "_", "-")) {
		case "nodsa", "no-dsa":
			if s, ok := v.(string); !ok || s != "" {
				return true
			}
		}
		if s, ok := v.(string); ok && slices.Contains(wontFixMarks, strings.ToLower(strings.TrimSpace(s))) {
			return true
		}
	}
	return false
}
