package rpm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	_ "modernc.org/sqlite" // the pure-Go "sqlite" driver
)

// ReadSQLite returns the package header blobs of an rpmdb.sqlite held in memory,
// in database order. The image is deserialised into an in-memory database, never
// written to disk; the write-ahead log, if any, is not read.
func ReadSQLite(ctx context.Context, image []byte) ([][]byte, error) {
	if len(image) < 100 || string(image[:16]) != "SQLite format 3\x00" {
		return nil, errors.New("not an SQLite database")
	}
	img := append([]byte(nil), image...)
	img[18], img[19] = 1, 1 // WAL → rollback journal, as an in-memory database needs
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("open in-memory database: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open in-memory database: %w", err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		d, ok := dc.(interface{ Deserialize([]byte) error })
		if !ok {
			return errors.New("the sqlite driver cannot deserialise a database")
		}
		return d.Deserialize(img)
	})
	if err != nil {
		return nil, fmt.Errorf("load database: %w", err)
	}
	rows, err := conn.QueryContext(ctx, "SELECT blob FROM Packages ORDER BY hnum")
	if err != nil {
		return nil, fmt.Errorf("read Packages: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("read Packages: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read Packages: %w", err)
	}
	return out, nil
}
