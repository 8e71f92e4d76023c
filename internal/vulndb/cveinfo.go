package vulndb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
)

// CVEInfo is what the database holds of one CVE besides advisories: NVD's CVSS
// vectors, its CISA KEV entry and its EPSS score.
type CVEInfo struct {
	NVD  []CVSS // ordered by source, then version
	KEV  *KEV   // nil when not in the catalogue
	EPSS *EPSS  // nil when not scored
}

// The batch forms of cvssQuery, kevQuery and epssQuery: the CVEs come as one
// JSON array, joined rather than tested with IN (see briefsQuery).
const (
	cvssBatchQuery = `SELECT c.cve, c.source, c.version, c.vector, c.score FROM json_each(?1) j CROSS JOIN cvss c ON c.cve = j.value`
	kevBatchQuery  = `SELECT k.cve, k.vendor, k.product, k.name, k.date_added, k.due_date, k.ransomware FROM json_each(?1) j CROSS JOIN kev k ON k.cve = j.value`
	epssBatchQuery = `SELECT e.cve, e.score, e.percentile, e.date FROM json_each(?1) j CROSS JOIN epss e ON e.cve = j.value`
)

// CVEInfo returns, for each CVE, NVD's vectors, KEV and EPSS in three queries,
// however many CVEs there are. CVEs the database knows nothing of are absent.
func (db *DB) CVEInfo(ctx context.Context, cves []string) (map[string]*CVEInfo, error) {
	out := make(map[string]*CVEInfo, len(cves))
	if len(cves) == 0 {
		return out, nil
	}
	b, err := json.Marshal(sortedUnique(cves))
	if err != nil {
		return nil, fmt.Errorf("cve info: %w", err)
	}
	arg := string(b)
	info := func(cve string) *CVEInfo {
		i, ok := out[cve]
		if !ok {
			i = &CVEInfo{}
			out[cve] = i
		}
		return i
	}
	err = db.each(ctx, db.stmtCVSSBatch, arg, func(rows *sql.Rows) error {
		var cve string
		var c CVSS
		var score sql.NullFloat64
		if err := rows.Scan(&cve, &c.Source, &c.Version, &c.Vector, &score); err != nil {
			return err
		}
		if score.Valid {
			c.Score = &score.Float64
		}
		i := info(cve)
		i.NVD = append(i.NVD, c)
		return nil
	})
	if err == nil {
		err = db.each(ctx, db.stmtKEVBatch, arg, func(rows *sql.Rows) error {
			var k KEV
			if err := rows.Scan(&k.CVE, &k.Vendor, &k.Product, &k.Name, &k.DateAdded, &k.DueDate, &k.Ransomware); err != nil {
				return err
			}
			info(k.CVE).KEV = &k
			return nil
		})
	}
	if err == nil {
		err = db.each(ctx, db.stmtEPSSBatch, arg, func(rows *sql.Rows) error {
			var e EPSS
			if err := rows.Scan(&e.CVE, &e.Score, &e.Percentile, &e.Date); err != nil {
				return err
			}
			info(e.CVE).EPSS = &e
			return nil
		})
	}
	if err != nil {
		return nil, fmt.Errorf("cve info: %w", err)
	}
	for _, i := range out {
		slices.SortFunc(i.NVD, func(a, b CVSS) int {
			return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Version, b.Version))
		})
	}
	return out, nil
}

// each runs a prepared statement and calls row for each row.
func (db *DB) each(ctx context.Context, st *sql.Stmt, arg any, row func(*sql.Rows) error) error {
	rows, err := st.QueryContext(ctx, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
