package secretscans

import "github.com/plimsoll/plimsoll/internal/policy/gate"

var _ gate.AnchoreNamer = checks{}

// AnchoreIDs gives match_type notfound's firing Anchore Engine's ID: the hash
// (gate.AnchoreID) of "Secret content search analyzer did not find regexp
// match in container: filename_regex=* content_regex_name=all". A match's
// firing keeps plimsoll's ID: Anchore hashed its message with the analyzer's
// configured "NAME=regex" text, which each Anchore installation set in its
// analyzer_config.yaml and plimsoll cannot know.
func (checks) AnchoreIDs(a gate.Args, _ *gate.Input, fires []gate.Fire) {
	if a.String("match_type") != "notfound" {
		return
	}
	files, names := a.String("filename_regex"), a.String("content_regex_name")
	if files == "" {
		files = "*"
	}
	if names == "" {
		names = "all"
	}
	for i := range fires {
		fires[i].Anchore = gate.AnchoreID("secret_scans", "content_regex_checks",
			"Secret content search analyzer did not find regexp match in container: filename_regex="+files+" content_regex_name="+names)
	}
}
