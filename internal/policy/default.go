package policy

import (
	_ "embed"
)

//go:embed default.json
var defaultBundle []byte

// DefaultName is the --policy value that selects the built-in policy.
const DefaultName = "default"

// Default returns the built-in policy: STOP on exposed port 22, STOP when the
// effective user is root, WARN without HEALTHCHECK, STOP on high or critical
// vulnerabilities with a fix, WARN on medium ones, WARN on vulnerability data
// older than two days or missing.
func Default() *Bundle {
	b, err := ParseAnchore(defaultBundle, "built-in default policy")
	if err != nil {
		// default_test.go parses the embedded bundle, so this cannot happen
		// in a tested build.
		return &Bundle{ID: "broken-default", Version: AnchoreVersion, DefaultAction: STOP, File: err.Error()}
	}
	return b
}
