package vulndb

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

const killHelperEnv = "PLIMSOLL_VULNDB_KILL_HELPER"

// TestKillHelper is not a test: TestSIGKILLMidUpdate runs the test binary with
// it, and it writes records in one long update until it is killed.
func TestKillHelper(t *testing.T) {
	path := os.Getenv(killHelperEnv)
	if path == "" {
		t.Skip("helper process for TestSIGKILLMidUpdate")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	// A small page cache makes the update spill into the WAL early.
	db.sql.SetMaxOpenConns(1)
	if _, err := db.sql.Exec("PRAGMA cache_size = -1024"); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	ready := false
	pp := NewPreparer()
	db.Update(ctx, "helper", func(tx *Tx) error {
		for i := range 1_000_000 {
			p, err := pp.Prepare(record(fmt.Sprintf("KILL-%d", i), "2024-01-01T00:00:00Z", "npm", fmt.Sprintf("pkg%d", i%1000)).Data)
			if err != nil {
				return err
			}
			if err := tx.Put(ctx, p); err != nil {
				return err
			}
			if i%1000 == 0 && !ready {
				// Wait until the update has spilled pages into the WAL, so the
				// kill leaves uncommitted frames behind.
				if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 1<<20 {
					fmt.Println("ready")
					ready = true
				}
			}
		}
		return nil
	})
	os.Exit(4) // never reached in the test: the parent kills first
}

func TestSIGKILLMidUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	ctx := context.Background()
	db := openTemp(t)
	loadFixtures(t, db)
	path := db.Path()
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$")
	cmd.Env = append(os.Environ(), killHelperEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	cmd.Wait()
	if fi, err := os.Stat(path + "-wal"); err == nil {
		t.Logf("WAL left by the killed update: %d bytes", fi.Size())
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer db.Close()
	var check string
	if err := db.sql.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	c, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Advisories != 6 {
		t.Errorf("advisories after killed update = %d, want the 6 from before", c.Advisories)
	}
	if got, err := db.Affected(ctx, "npm", "pkg1"); err != nil || len(got) != 0 {
		t.Errorf("Affected(npm, pkg1) = %v, %v; want nothing of the killed update", ids(got), err)
	}
	if got, err := db.Affected(ctx, "npm", "bower"); err != nil || len(got) != 1 {
		t.Errorf("Affected(npm, bower) = %v, %v; want the old record", ids(got), err)
	}
}

func TestReadersSeeOldDataDuringUpdate(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	loadFixtures(t, db)
	reader, err := Open(ctx, db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var during Counts
	err = db.Update(ctx, "test", func(tx *Tx) error {
		p, err := Prepare(record("X-1", "2024-01-01T00:00:00Z", "npm", "a").Data)
		if err != nil {
			return err
		}
		if err := tx.Put(ctx, p); err != nil {
			return err
		}
		during, err = reader.Counts(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	after, err := reader.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if during.Advisories != 6 || after.Advisories != 7 {
		t.Errorf("reader saw %d during and %d after the update, want 6 and 7", during.Advisories, after.Advisories)
	}
}
