package vulndb

// schemaVersion is stored in PRAGMA user_version. Bump it, and add a step to
// migrations, whenever the schema changes.
const schemaVersion = 5

// migrations[i] takes the schema from version i to version i+1.
var migrations = []string{
	`
CREATE TABLE advisory (
	rowid     INTEGER PRIMARY KEY,
	id        TEXT NOT NULL UNIQUE,
	modified  TEXT NOT NULL,      -- RFC 3339, UTC
	published TEXT,
	withdrawn TEXT,               -- set: stored but never matched
	summary   TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL,      -- feed that wrote it: "osv/PyPI", "import", …
	raw       BLOB NOT NULL       -- the OSV JSON as received, deflate-compressed
);
-- The hot query: every affected entry for (ecosystem, name). Clustered on its key.
CREATE TABLE affected (
	ecosystem TEXT NOT NULL,      -- NormalizeEcosystem: "Debian:12", "PyPI"
	name      TEXT NOT NULL,      -- NormalizeName
	adv       INTEGER NOT NULL,   -- advisory.rowid
	idx       INTEGER NOT NULL,   -- position in the record's affected[]
	data      BLOB NOT NULL,      -- the affected entry as JSON
	PRIMARY KEY (ecosystem, name, adv, idx)
) WITHOUT ROWID;
CREATE INDEX affected_adv ON affected (adv);
-- aliases and upstream ids, for lookups by any name of a vulnerability.
CREATE TABLE alias (
	alias TEXT NOT NULL,
	adv   INTEGER NOT NULL,
	PRIMARY KEY (alias, adv)
) WITHOUT ROWID;
CREATE INDEX alias_adv ON alias (adv);
CREATE TABLE cvss (
	cve     TEXT NOT NULL,
	source  TEXT NOT NULL,        -- "nvd" or the NVD source identifier
	version TEXT NOT NULL,        -- "2.0", "3.0", "3.1", "4.0"
	vector  TEXT NOT NULL,
	score   REAL,
	PRIMARY KEY (cve, source, version)
) WITHOUT ROWID;
CREATE TABLE kev (
	cve            TEXT PRIMARY KEY,
	vendor         TEXT NOT NULL DEFAULT '',
	product        TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL DEFAULT '',
	date_added     TEXT NOT NULL,
	due_date       TEXT NOT NULL DEFAULT '',
	ransomware     TEXT NOT NULL DEFAULT ''  -- "Known", "Unknown"
) WITHOUT ROWID;
CREATE TABLE epss (
	cve        TEXT PRIMARY KEY,
	score      REAL NOT NULL,
	percentile REAL NOT NULL,
	date       TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE feed_state (
	source        TEXT NOT NULL,  -- "osv", "nvd", "kev", "epss", "import"
	ecosystem     TEXT NOT NULL,  -- "" where the source has none
	last_sync     TEXT NOT NULL DEFAULT '',
	last_attempt  TEXT NOT NULL DEFAULT '',
	cursor        TEXT NOT NULL DEFAULT '',
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	records       INTEGER NOT NULL DEFAULT 0,
	skipped       INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (source, ecosystem)
) WITHOUT ROWID;
`,
	// 2: the hot query reads affected alone. Rows carry their advisory's id and
	// modified time, and withdrawn advisories have none (stored, never matched).
	`
ALTER TABLE affected ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE affected ADD COLUMN modified TEXT NOT NULL DEFAULT '';
UPDATE affected SET id = (SELECT a.id FROM advisory a WHERE a.rowid = affected.adv),
	modified = (SELECT a.modified FROM advisory a WHERE a.rowid = affected.adv);
DELETE FROM affected WHERE adv IN (SELECT rowid FROM advisory WHERE withdrawn IS NOT NULL);
`,
	// 3: each record's brief (brief.go), what a finding shows of it, so the
	// matcher reads a few hundred bytes instead of decoding the whole record.
	// Its own table, clustered on the id: a column of advisory would sit after
	// raw, and SQLite reaches a late column only through the earlier ones'
	// overflow pages. Records stored before have none and are read from raw
	// until an update replaces them. (Filling them in when an unchanged record
	// is stored again cost 8% of every unchanged full re-import: not worth it
	// for databases written before this schema.)
	`
CREATE TABLE brief (
	id   TEXT PRIMARY KEY,  -- advisory id
	data BLOB NOT NULL      -- encodeBrief
) WITHOUT ROWID;
`,
	// 4: when an update first saw a fixed version added to a stored record
	// (facts.go), for the policy's max_days_since_fix. Earlier databases may
	// hold it already: it was created on first use before it was numbered.
	`
CREATE TABLE IF NOT EXISTS fix_seen (
	id    TEXT NOT NULL,   -- advisory id
	fixed TEXT NOT NULL,   -- the fixed event's version
	seen  TEXT NOT NULL,   -- RFC 3339, UTC: the modified time of the record version that added it
	PRIMARY KEY (id, fixed)
) WITHOUT ROWID;
`,
	// 5: briefs keyed by their advisory's rowid, which the matcher reads with
	// each affected row (RecordRef): its thousands of seeks compare integers
	// rather than ids, which made reading a scan's briefs a third cheaper.
	// Lookups by id go through advisory's unique index on id.
	`
CREATE TABLE brief_by_adv (
	adv  INTEGER PRIMARY KEY,  -- advisory.rowid
	id   TEXT NOT NULL,        -- advisory id
	data BLOB NOT NULL         -- encodeBrief
);
INSERT INTO brief_by_adv (adv, id, data) SELECT a.rowid, b.id, b.data FROM brief b JOIN advisory a ON a.id = b.id;
DROP TABLE brief;
ALTER TABLE brief_by_adv RENAME TO brief;
`,
}
