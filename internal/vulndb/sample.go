package vulndb

import (
	"context"
	"fmt"
)

// SamplePackages returns up to n distinct (ecosystem, name) pairs that have
// affected entries, chosen at random; benchmarks query them.
func (db *DB) SamplePackages(ctx context.Context, n int) ([][2]string, error) {
	return db.samplePackages(ctx, n)
}

func (db *DB) samplePackages(ctx context.Context, n int) ([][2]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT ecosystem, name FROM affected GROUP BY ecosystem, name ORDER BY random() LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("sample packages: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, fmt.Errorf("sample packages: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
