// Package vulndb is plimsoll's vulnerability database: OSV records, with CVSS,
// CISA KEV and EPSS enrichment, in one SQLite file (modernc.org/sqlite, pure Go).
//
// # Model
//
// [Vulnerability] is the OSV schema. [Parse] decodes and validates one record;
// its errors wrap [ErrInvalidRecord]. [NormalizeEcosystem] spells ecosystems as
// OSV does ("Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS") and
// [NormalizeName] gives the per-ecosystem form of a package name (PEP 503 for
// PyPI, lower case for NuGet, Packagist and crates.io, exact elsewhere).
//
// # Reading
//
//	db, err := vulndb.Open(ctx, path)        // creates or migrates the schema
//	db, err := vulndb.OpenExisting(ctx, path) // readers: ErrNoDatabase rather than an empty DB
//	entries, err := db.Affected(ctx, "PyPI", "Django") // the hot query, withdrawn left out
//	recs, err := db.Get(ctx, "CVE-2024-1234") // by id, aliases and upstream resolved
//	rec, err := db.Record(ctx, "GHSA-…")      // exactly one id, withdrawn included
//	briefs, err := db.Briefs(ctx, ids)        // many records' ids, summary, refs, vectors: one query
//	db.EachAffected(ctx, eco, name, fn)       // the matcher's hot query: entries streamed, arrays reused
//	briefs, err := db.BriefsOf(ctx, refs)     // briefs by the entries' RecordRef: integer seeks
//	info, err := db.CVEInfo(ctx, cves)        // many CVEs' NVD vectors, KEV, EPSS: three queries
//	vectors, err := db.CVSS(ctx, cve)         // NVD's and the records' own
//	vectors, err := db.NVDCVSS(ctx, cve)      // NVD's only (the matcher holds the records')
//	kev, err := db.KEV(ctx, cve)              // ErrNotFound when not in the catalogue
//	epss, err := db.EPSS(ctx, cve)
//	states, err := db.FeedStates(ctx)         // per source and ecosystem: age, cursor, counts, errors
//
// # Writing
//
// Every change goes through [DB.Update], one SQLite transaction in WAL mode:
// readers see the old database or the new one, never part of an update, and a
// process killed mid-update leaves the old database intact. Inside it,
// [Tx.Put] stores a [Prepared] record (a record modified later upstream
// replaces the stored one, an older one is ignored), [PutAll] parses and stores
// a stream of files ([DirFiles], [ZipFiles]) on all CPUs, skipping and counting
// malformed records, and [Tx.PutCVSS], [Tx.ReplaceKEV], [Tx.ReplaceEPSS] and
// [Tx.SetFeedState] store the rest.
//
// # Schema
//
// advisory holds each record once, with its raw JSON deflate-compressed;
// brief holds what a finding shows of it, in a compact binary form, keyed by
// the advisory's rowid (RecordRef); affected holds one row per affected package, clustered on (ecosystem, name)
// so the hot query is one index range; alias maps aliases and upstream ids to
// records; cvss, kev, epss and feed_state hold enrichment and sync state;
// fix_seen dates fixed versions that updates saw added to stored records. The
// schema version is PRAGMA user_version; see schema.go.
package vulndb
