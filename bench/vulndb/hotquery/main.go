// Command hotquery measures the vulnerability database's hot query,
// vulndb.(*DB).Affected for one (ecosystem, name), on an existing database:
// it samples distinct packages at random, queries each, and prints latency
// percentiles, plus the worst packages (those with the most entries).
//
//	hotquery -db ~/.cache/plimsoll/vulndb.sqlite -packages 5000 -rounds 4
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"runtime"
	"slices"
	"time"

	"golang.org/x/sys/unix"

	"github.com/plimsoll/plimsoll/internal/vulndb"
)

func main() {
	path := flag.String("db", "", "database file")
	packages := flag.Int("packages", 5000, "distinct packages to sample")
	rounds := flag.Int("rounds", 4, "times each package is queried")
	flag.Parse()
	ctx := context.Background()
	db, err := vulndb.Open(ctx, *path)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	pkgs, err := db.SamplePackages(ctx, *packages)
	if err != nil {
		log.Fatal(err)
	}
	// Wall time includes whatever else the machine runs; the thread's CPU time
	// is the query's own cost. The driver runs the query on this goroutine, and
	// so, with the thread locked, on this thread.
	runtime.LockOSThread()
	var lat, cpu []time.Duration
	entries, maxEntries := 0, 0
	for range *rounds {
		for _, p := range pkgs {
			c0 := threadCPU()
			start := time.Now()
			got, err := db.Affected(ctx, p[0], p[1])
			lat = append(lat, time.Since(start))
			cpu = append(cpu, threadCPU()-c0)
			if err != nil {
				log.Fatal(err)
			}
			entries += len(got)
			maxEntries = max(maxEntries, len(got))
		}
	}
	fmt.Printf("hot query: %d queries over %d packages, %.1f entries/query (max %d)\n",
		len(lat), len(pkgs), float64(entries)/float64(len(lat)), maxEntries)
	report("wall", lat)
	report("cpu ", cpu)
}

func report(label string, d []time.Duration) {
	slices.Sort(d)
	pct := func(p float64) time.Duration { return d[int(float64(len(d)-1)*p)] }
	fmt.Printf("%s p50 %s  p90 %s  p99 %s  max %s\n", label, pct(0.50), pct(0.90), pct(0.99), d[len(d)-1])
}

func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
