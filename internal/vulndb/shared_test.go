package vulndb

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestImportSharedCorpus imports every real record of ../shared/testdata/osv
// (skipped when absent) and checks that nearly all parse and are found.
func TestImportSharedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("imports about 10,000 records")
	}
	dir := sharedOSV(t)
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.ImportPath(ctx, dir, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stats
	if st.Read < 9000 || st.Skipped*100 > st.Read {
		t.Errorf("read %d, skipped %d (%+v): want nearly all of the corpus stored", st.Read, st.Skipped, st.Skips)
	}
	lookups := []struct{ eco, name string }{
		{"PyPI", "Django"}, {"Go", "stdlib"}, {"npm", "lodash"}, {"alpine:3.11.6", "openssl"},
	}
	for _, l := range lookups {
		got, err := db.Affected(ctx, l.eco, l.name)
		if err != nil || len(got) == 0 {
			t.Errorf("Affected(%s, %s) = %d entries, %v; want some", l.eco, l.name, len(got), err)
		}
	}
}
