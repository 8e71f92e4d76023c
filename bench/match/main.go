// Command match times plimsoll's matching of one SBOM against one vulnerability
// database, once the database is open: the figure issue 5 sets a target for
// (under 100 ms for the realistic image against the full-scale DB).
//
//	go run ./bench/match -db bench/out/vulndb/full/vulndb.sqlite -sbom bench/out/realistic.sbom.json -n 20
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	"github.com/plimsoll/plimsoll/internal/match"
	"github.com/plimsoll/plimsoll/internal/sbom/decode"
	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func main() {
	dbPath := flag.String("db", "", "vulnerability database file")
	sbomPath := flag.String("sbom", "", "SBOM of the image (any format plimsoll reads)")
	n := flag.Int("n", 20, "runs")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile of the runs to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "match bench:", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "match bench:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			f, err := os.Create(*memProfile)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "match bench:", err)
			}
		}()
	}
	if err := run(*dbPath, *sbomPath, *n); err != nil {
		fmt.Fprintln(os.Stderr, "match bench:", err)
		pprof.StopCPUProfile()
		os.Exit(2)
	}
}

func run(dbPath, sbomPath string, n int) error {
	if dbPath == "" || sbomPath == "" {
		return fmt.Errorf("-db and -sbom are required")
	}
	ctx := context.Background()
	doc, _, err := decode.File(sbomPath)
	if err != nil {
		return err
	}
	db, err := vulndb.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	m := match.New(db, match.Options{})
	var times []time.Duration
	findings := 0
	cpu0 := cpuTime()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	alloc0, objects0 := ms.TotalAlloc, ms.Mallocs
	for range n {
		start := time.Now()
		res, err := m.Match(ctx, doc)
		if err != nil {
			return err
		}
		if err := match.Enrich(ctx, db, res.Findings); err != nil {
			return err
		}
		times = append(times, time.Since(start))
		findings = len(res.Findings)
	}
	cpu := (cpuTime() - cpu0) / time.Duration(n)
	runtime.ReadMemStats(&ms)
	allocMB := float64(ms.TotalAlloc-alloc0) / float64(n) / (1 << 20)
	objects := (ms.Mallocs - objects0) / uint64(n)
	slices.Sort(times)
	fmt.Printf("packages %d  findings %d  runs %d  min %v  median %v  max %v  cpu/run %v  alloc/run %.1f MB in %dk objects  (target: under 100ms)\n",
		len(doc.Packages), findings, n, times[0], times[len(times)/2], times[len(times)-1], cpu.Round(time.Millisecond), allocMB, objects/1000)
	return nil
}

// cpuTime is the process's user and system CPU time so far: steadier than wall
// time on a shared machine when comparing two versions of the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
