package vulndb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
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
	if len(cves) == 0 {
		return map[string]*CVEInfo{}, nil
	}
	b, err := json.Marshal(sortedUnique(cves))
	if err != nil {
		return nil, fmt.Errorf("cve info: %w", err)
	}
	arg := string(b)
	// Three queries on three connections at once; each fills its own map.
	var (
		nvd  = map[string][]CVSS{}
		kev  = map[string]*KEV{}
		epss = map[string]*EPSS{}
		errs [3]error
		wg   sync.WaitGroup
	)
	wg.Go(func() {
		errs[0] = db.each(ctx, db.stmtCVSSBatch, arg, func(rows *sql.Rows) error {
			var cve string
			var c CVSS
			var score sql.NullFloat64
			if err := rows.Scan(&cve, &c.Source, &c.Version, &c.Vector, &score); err != nil {
				return err
			}
			if score.Valid {
				c.Score = &score.Float64
			}
			nvd[cve] = append(nvd[cve], c)
			return nil
		})
	})
	wg.Go(func() {
		errs[1] = db.each(ctx, db.stmtKEVBatch, arg, func(rows *sql.Rows) error {
			var k KEV
			if err := rows.Scan(&k.CVE, &k.Vendor, &k.Product, &k.Name, &k.DateAdded, &k.DueDate, &k.Ransomware); err != nil {
				return err
			}
			kev[k.CVE] = &k
			return nil
		})
	})
	errs[2] = db.each(ctx, db.stmtEPSSBatch, arg, func(rows *sql.Rows) error {
		var e EPSS
		if err := rows.Scan(&e.CVE, &e.Score, &e.Percentile, &e.Date); err != nil {
			return err
		}
		epss[e.CVE] = &e
		return nil
	})
	wg.Wait()
	err = errors.Join(errs[:]...)
	// Sized for what was found, not for the CVEs asked about: most have no
	// KEV entry, and a database may hold no NVD or EPSS data.
	out := make(map[string]*CVEInfo, max(len(nvd), len(kev), len(epss)))
	info := func(cve string) *CVEInfo {
		i, ok := out[cve]
		if !ok {
			i = &CVEInfo{}
			out[cve] = i
		}
		return i
	}
	for cve, l := range nvd {
		info(cve).NVD = l
	}
	for cve, k := range kev {
		info(cve).KEV = k
	}
	for cve, e := range epss {
		info(cve).EPSS = e
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
