package vulnerabilities

import (
	"strconv"

	"github.com/plimsoll/plimsoll/internal/policy/gate"
)

// Anchore Engine's trigger IDs for the triggers that named none: the hash of
// the gate, the trigger and the message its gate wrote (gate.AnchoreID). The
// package trigger's "<vuln id>+<package name>" is Anchore's own and plimsoll's.

func staleFeedID(days int64) string {
	return gate.AnchoreID("vulnerabilities", "stale_feed_data",
		"The vulnerability feed for this image distro is older than MAXAGE ("+strconv.FormatInt(days, 10)+") days")
}

func unavailableID(in *gate.Input) string {
	return gate.AnchoreID("vulnerabilities", "vulnerability_data_unavailable",
		"Feed data unavailable, cannot perform CVE scan for distro: "+distroNamespace(in))
}

// blacklistID hashes Anchore's one message for the listed IDs found, in the
// rule's order; "" when none was.
func blacklistID(ids []string, found map[string]bool) string {
	var hit []string
	for _, id := range ids {
		if found[id] {
			hit = append(hit, id)
		}
	}
	if len(hit) == 0 {
		return ""
	}
	return gate.AnchoreID("vulnerabilities", "blacklist", "Blacklisted vulnerabilities detected: "+gate.PyList(hit))
}

// withAnchoreID gives every firing the one Anchore ID of a trigger Anchore
// fired once for all of them.
func withAnchoreID(fires []gate.Fire, id string) []gate.Fire {
	for i := range fires {
		fires[i].Anchore = id
	}
	return fires
}
