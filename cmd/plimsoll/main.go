// Command plimsoll inspects container images, catalogs their packages, finds their
// known vulnerabilities and decides by policy whether they may ship.
//
// main only wires: each subcommand lives in a file of its own, and errors are mapped
// to exit codes in exit.go.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand().ExecuteContext(ctx)
	stop()
	if err != nil {
		if !isSilent(err) {
			fmt.Fprintln(os.Stderr, "plimsoll:", err)
		}
	}
	os.Exit(exitCode(err))
}
