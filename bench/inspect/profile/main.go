// Command profile runs the read path of `plimsoll inspect` (image.Open and
// image.Inspect, without the report rendering) under the CPU and heap profilers,
// to show where the time and memory of the benchmark go.
//
// Usage:
//
//	profile [-digests] [-concurrency N] [-rounds N] [-cpuprofile F] [-memprofile F] IMAGE
//
// It prints the wall and CPU time of each round, the file count, and the heap in
// use after the walk (the file index), to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/plimsoll/plimsoll/internal/image"
	"github.com/plimsoll/plimsoll/internal/layerfs"
)

func main() {
	digests := flag.Bool("digests", true, "compute the sha256 of every file")
	concurrency := flag.Int("concurrency", 0, "layers read at once; 0 means GOMAXPROCS")
	rounds := flag.Int("rounds", 1, "times to read the image")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of all rounds to this file")
	memProfile := flag.String("memprofile", "", "write a heap profile (allocations) after the last round to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: profile [flags] IMAGE")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), layerfs.Options{Digests: *digests, Concurrency: *concurrency}, *rounds, *cpuProfile, *memProfile); err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		os.Exit(1)
	}
}

func run(ref string, wo layerfs.Options, rounds int, cpuProfile, memProfile string) error {
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for i := range rounds {
		if err := once(ref, wo, i); err != nil {
			return err
		}
	}
	if memProfile == "" {
		return nil
	}
	f, err := os.Create(memProfile)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// once reads the image one time and reports what it cost.
func once(ref string, wo layerfs.Options, round int) error {
	ctx := context.Background()
	start, cpu0 := time.Now(), cpuTime()
	im, err := image.Open(ctx, ref, image.Options{})
	if err != nil {
		return err
	}
	defer im.Close()
	in, err := image.Inspect(ctx, im, image.InspectOptions{Walk: wo})
	if err != nil {
		return err
	}
	wall, cpu := time.Since(start), cpuTime()-cpu0
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "round %d: wall %s, cpu %s (%.2f cores), %d files, heap in use after GC %.1f MB, total allocated %.1f MB\n",
		round, wall.Round(time.Millisecond), cpu.Round(time.Millisecond), cpu.Seconds()/wall.Seconds(),
		in.FS.Len(), float64(ms.HeapInuse)/(1<<20), float64(ms.TotalAlloc)/(1<<20))
	return nil
}

// cpuTime is the user and system time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
