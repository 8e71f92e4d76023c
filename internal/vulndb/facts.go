package vulndb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// noteNewFixes records, for each fixed version the new record names and the
// stored one (oldRaw, compressed) did not, that it was first seen at the new
// record's modified time: when the vendor published the fix. A stored record
// that cannot be read is treated as having no fixes.
func (t *Tx) noteNewFixes(ctx context.Context, p *Prepared, oldRaw []byte) error {
	added := fixedVersions(p.Record)
	if len(added) == 0 {
		return nil
	}
	if b, err := decompress(oldRaw); err == nil {
		var old Vulnerability
		if json.Unmarshal(b, &old) == nil {
			for v := range fixedVersions(&old) {
				delete(added, v)
			}
		}
	}
	for v := range added {
		if _, err := t.exec(ctx, `INSERT OR IGNORE INTO fix_seen (id, fixed, seen) VALUES (?, ?, ?)`, p.Record.ID, v, p.modified); err != nil {
			return fmt.Errorf("fix seen: %w", err)
		}
	}
	return nil
}

func fixedVersions(v *Vulnerability) map[string]bool {
	out := map[string]bool{}
	for _, a := range v.Affected {
		for _, r := range a.Ranges {
			for _, e := range r.Events {
				if e.Fixed != "" {
					out[e.Fixed] = true
				}
			}
		}
	}
	return out
}

// FixSeen returns, for the advisory id, when each fixed version was first seen
// added to the stored record by an update (the modified time of the record
// version that added it). Fixes the record already carried when it was first
// stored are absent: the record's own published time is the best date of those.
func (db *DB) FixSeen(ctx context.Context, id string) (map[string]time.Time, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT fixed, seen FROM fix_seen WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("fix seen %s: %w", id, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var fixed, seen string
		if err := rows.Scan(&fixed, &seen); err != nil {
			return nil, fmt.Errorf("fix seen %s: %w", id, err)
		}
		if t, err := ParseTime(seen); err == nil {
			out[fixed] = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fix seen %s: %w", id, err)
	}
	return out, nil
}

// HasEcosystem reports whether any advisory that is not withdrawn affects a
// package of the ecosystem ("debian:bookworm" is normalised to "Debian:12"):
// one seek of affected's clustered key.
func (db *DB) HasEcosystem(ctx context.Context, ecosystem string) (bool, error) {
	var one int
	err := db.sql.QueryRowContext(ctx, `SELECT 1 FROM affected WHERE ecosystem = ? LIMIT 1`, NormalizeEcosystem(ecosystem)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ecosystem %s: %w", ecosystem, err)
	}
	return true, nil
}
