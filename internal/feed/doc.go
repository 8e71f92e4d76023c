// Package feed holds the vulnerability data sources, one package each: osv
// (OSV bulk exports, incremental by modified_id.csv), nvd (CVSS from the NVD
// CVE API 2.0), kev (CISA's Known Exploited Vulnerabilities catalogue) and
// epss (FIRST's daily EPSS scores). fetch is their shared HTTP client.
//
// Each source has a Feed whose Sync brings one part of the vulndb store up to
// date in one transaction and records its feed state: a malformed download is
// an error naming the source, and the old data stays. List is the one list of
// sources.
package feed
